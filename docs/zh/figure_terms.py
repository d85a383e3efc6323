#!/usr/bin/python3
"""Makes the Chinese variant of a Graphviz drawing of the book: the words of its labels
replaced by the Chinese of the table below (the terms of the glossary), the numbers,
symbols and layout attributes as the program wrote them, the text in a font with Chinese
glyphs. A label with English words
that the table does not know fails the build, so a new drawing cannot reach the Chinese
edition half-translated.

usage: figure_terms.py IN.dot OUT.zh.dot
"""
import os
import re
import sys

# (English pattern, Chinese): regular expressions over the label's text, where a blank
# may be written as a space or as &#160;.
TERMS = [
    (r"Step (\d+) of (\d+): ", r"第 \1 步（共 \2 步）："),
    (r"the output layer's error", "输出层的误差项"),
    (r"the error reaches neuron (\d+) of hidden layer (\d+)", r"误差项到达第 \2 隐藏层的神经元 \1"),
    (r"the whole of layer (\d+) at once", r"一次算出第 \1 层的全部"),
    (r"the gradients of layer (\d+)'s weights and biases", r"第 \1 层权重与偏置的梯度"),
    (r"The forward pass of the ([\d-]+) network \((\w+), seed (\d+)\)", r"\1 网络的前向传播（\2，随机种子 \3）"),
    (r"∂J/∂w on every edge, ∂J/∂b in every neuron", "每条边上是 ∂J/∂w，每个神经元里是 ∂J/∂b"),
    (r"J = x y \+ x: x is used twice, and its gradient is the sum", "J = x y + x：x 用了两次，它的梯度是两者之和"),
    (r"The running example as a graph: each node's value and ∂J/∂node",
     "把贯穿示例画成计算图：每个节点的值与 ∂J/∂节点"),
    (r"f = 2 \(x y \+ max\(z, w\)\): add, max and multiply", "f = 2 (x y + max(z, w))：加法、max 与乘法"),
    (r"layer (\d+): input", r"第 \1 层：输入层"),
    (r"layer (\d+): hidden", r"第 \1 层：隐藏层"),
    (r"layer (\d+): output", r"第 \1 层：输出层"),
    (r"L1 loss", "L1 损失"),
    (r"neuron (\d+)", r"神经元 \1"),
    (r"input (\d+)", r"输入 \1"),
    (r"parameter", "参数"),
    (r"constant", "常量"),
    # In the monospaced rows of matrices: a Chinese character is two columns wide, so 值
    # takes three blanks more to keep the rows below it aligned as "value" did.
    (r"value = ", "值&#160;&#160;&#160;= "),
    (r"grad = ", "梯度 = "),
]
# Words that stay as they are in both editions: function names and symbols.
KEEP = {"sigmoid", "tanh", "relu", "max", "sans", "mono", "monospace"}

LABEL = re.compile(r'label\s*=\s*("(?:[^"\\]|\\.)*"|<(?:[^<>]|<[^<>]*>)*>)')


def translate(label):
    text = label
    for en, zh in TERMS:
        pattern = en.replace(" ", "(?: |&#160;)")
        text = re.sub(pattern, zh, text)
    return text


def untranslated(label):
    visible = re.sub(r"<[^>]*>", " ", label[1:-1] if label[0] == "<" else label)
    visible = re.sub(r"&#?\w+;", " ", visible)
    visible = re.sub(r"\w*_\w*", " ", visible)  # names such as ch07_updates or w_11
    words = re.findall(r"[A-Za-z]{3,}", visible)
    return [w for w in words if w.lower() not in KEEP]


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    src, dst = sys.argv[1:]
    with open(src, encoding="utf-8") as f:
        dot = f.read()
    left = []

    def one(m):
        out = translate(m.group(1))
        left.extend(untranslated(out))
        return m.group(0)[: m.start(1) - m.start(0)] + out

    result = LABEL.sub(one, dot)
    # Named to Graphviz: a font with Chinese glyphs (fonts-wqy-microhei) for the text that
    # was in the book's sans; the monospaced rows keep their font, with the system's
    # fallback for their few Chinese characters.
    result = result.replace('fontname="sans"', 'fontname="WenQuanYi Micro Hei"')
    if left:
        print("figure_terms.py: %s: words with no Chinese in the table: %s"
              % (os.path.basename(src), ", ".join(sorted(set(left)))), file=sys.stderr)
        return 1
    with open(dst + ".partial", "w", encoding="utf-8") as f:
        f.write(result)
    os.replace(dst + ".partial", dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())

# gnuplot -c modes.gp DATA.tsv OUT.svg
# Forward mode against reverse mode on n-n-n networks: the passes one gradient takes
# (left) and its measured time (right), against the number of parameters P.
# DATA columns: P, forward-mode seconds, reverse-mode seconds, ratio, its quartiles,
# forward-mode passes (P + 1), reverse-mode passes (2).
# The words in the language of the edition: ARG3 "zh" draws the Chinese variant.
zh = (ARGC >= 3 && ARG3 eq "zh")
tr(en, cn) = zh ? cn : en
# ...in a font with Chinese glyphs (fonts-wqy-microhei) for the Chinese variant.
set terminal svg size 800,400 fixed enhanced font (zh ? "WenQuanYi Micro Hei,14" : "sans,14") background rgb "white"
set output ARG2
set datafile commentschars "#"
set multiplot layout 1,2
set grid lc rgb "#dddddd"
set logscale xy
set format y "10^{%L}"
set xlabel tr("parameters P", "参数个数 P")
set key top left
f = "#d62728"
r = "#1f77b4"

set title tr("passes per gradient", "每个梯度所需的遍数")
set ylabel tr("passes", "遍数")
plot ARG1 using 1:7 with linespoints lw 2 pt 7 ps 0.6 lc rgb f title tr("forward mode: P + 1", "前向模式：P + 1"), \
     ARG1 using 1:8 with linespoints lw 2 pt 5 ps 0.6 lc rgb r title tr("reverse mode: 2", "反向模式：2")

set title tr("time per gradient (median)", "每个梯度的时间（中位数）")
set ylabel tr("microseconds", "微秒")
plot ARG1 using 1:($2*1e6) with linespoints lw 2 pt 7 ps 0.6 lc rgb f title tr("forward mode", "前向模式"), \
     ARG1 using 1:($3*1e6) with linespoints lw 2 pt 5 ps 0.6 lc rgb r title tr("reverse mode", "反向模式")
unset multiplot

# gnuplot -c loss.gp DATA.tsv OUT.svg
# The loss J of the running example after each step of gradient descent, from step 0
# (the parameters before any update). DATA columns: step, loss.
# The words in the language of the edition: ARG3 "zh" draws the Chinese variant.
zh = (ARGC >= 3 && ARG3 eq "zh")
tr(en, cn) = zh ? cn : en
# ...in a font with Chinese glyphs (fonts-wqy-microhei) for the Chinese variant.
set terminal svg size 720,450 fixed enhanced font (zh ? "WenQuanYi Micro Hei,14" : "sans,14") background rgb "white"
set output ARG2
set datafile commentschars "#"
set grid lc rgb "#dddddd"
set key top right
set xlabel tr("step t", "第 t 步")
set ylabel tr("loss J after t steps", "t 步之后的损失 J")
set yrange [0:*]
plot ARG1 using 1:2 with linespoints lw 2 pt 7 ps 0.35 lc rgb "#1f77b4" title "J, one update per step"

# gnuplot -c losses.gp DATA.tsv OUT.svg
# The three losses of one output a against its target: y = 1 (left) and y = 0 (right).
# The shaded band is (0, 1), where a sigmoid output lives; cross-entropy is drawn only
# there (outside it the library clips a). The L1 kink at a = y sits on the band's edge.
# DATA columns: a, l1, quadratic, cross-entropy for y = 1, then the same for y = 0.
# The words in the language of the edition: ARG3 "zh" draws the Chinese variant.
zh = (ARGC >= 3 && ARG3 eq "zh")
tr(en, cn) = zh ? cn : en
# ...in a font with Chinese glyphs (fonts-wqy-microhei) for the Chinese variant.
set terminal svg size 800,420 fixed enhanced font (zh ? "WenQuanYi Micro Hei,14" : "sans,14") background rgb "white"
set output ARG2
set datafile commentschars "#"
set multiplot layout 1,2
set grid lc rgb "#dddddd"
set xrange [-0.5:1.5]
set yrange [0:2]
set xtics 0.5
set xlabel tr("output a", "输出 a")
set key top right samplen 1.5 font ",13"
set object 1 rect from 0, graph 0 to 1, graph 1 behind fc rgb "#eef3fb" fs solid noborder
l1 = "#1f77b4"
q = "#2ca02c"
ce = "#d62728"

set title tr("target y = 1", "目标值 y = 1")
set ylabel tr("loss of one output", "单个输出的损失")
plot ARG1 using 1:2 with lines lw 2 lc rgb l1 title "L1", \
     ARG1 using 1:3 with lines lw 2 lc rgb q title tr("quadratic", "平方损失"), \
     ARG1 using 1:(($1 > 0 && $1 < 1) ? $4 : NaN) with lines lw 2 lc rgb ce title tr("cross-entropy", "交叉熵")

set title tr("target y = 0", "目标值 y = 0")
unset ylabel
plot ARG1 using 1:5 with lines lw 2 lc rgb l1 notitle, \
     ARG1 using 1:6 with lines lw 2 lc rgb q notitle, \
     ARG1 using 1:(($1 > 0 && $1 < 1) ? $7 : NaN) with lines lw 2 lc rgb ce notitle
unset multiplot

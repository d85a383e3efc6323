# gnuplot -c vanishing.gp DATA.tsv OUT.svg
# The size of the error ||delta^[l]|| in each layer l of a ten-layer network, for three
# activations, each with plain uniform weights in [-1, 1) (dashed) and with Glorot's or
# He's range (solid). DATA columns: layer, then sigmoid, tanh and relu, plain and scaled.
# The words in the language of the edition: ARG3 "zh" draws the Chinese variant.
zh = (ARGC >= 3 && ARG3 eq "zh")
tr(en, cn) = zh ? cn : en
# ...in a font with Chinese glyphs (fonts-wqy-microhei) for the Chinese variant.
set terminal svg size 800,460 fixed enhanced font (zh ? "WenQuanYi Micro Hei,14" : "sans,14") background rgb "white"
set output ARG2
set datafile commentschars "#"
set grid lc rgb "#dddddd"
set logscale y
set format y "10^{%L}"
set xrange [0.5:10.5]
set xtics 1
set xlabel tr("layer l (the error flows from l = 10 back to l = 1)", "第 l 层（误差项从 l = 10 流回 l = 1）")
set ylabel "||{/Symbol d}^{[l]}||"
set key below maxrows 2 width -2
s = "#1f77b4"
t = "#2ca02c"
r = "#d62728"
plot ARG1 using 1:2 with linespoints lw 2 dt 2 pt 6 lc rgb s title "sigmoid, U(-1,1)", \
     ARG1 using 1:3 with linespoints lw 2 pt 7 lc rgb s title "sigmoid, Glorot", \
     ARG1 using 1:4 with linespoints lw 2 dt 2 pt 4 lc rgb t title "tanh, U(-1,1)", \
     ARG1 using 1:5 with linespoints lw 2 pt 5 lc rgb t title "tanh, Glorot", \
     ARG1 using 1:6 with linespoints lw 2 dt 2 pt 8 lc rgb r title "ReLU, U(-1,1)", \
     ARG1 using 1:7 with linespoints lw 2 pt 9 lc rgb r title "ReLU, He"

# gnuplot -c activations.gp DATA.tsv OUT.svg
# The four activations of chapter 3 (blue) and their derivatives (red), one panel each.
# DATA columns: z, sigmoid, sigmoid', tanh, tanh', relu, relu', identity, identity'.
# The words in the language of the edition: ARG3 "zh" draws the Chinese variant.
zh = (ARGC >= 3 && ARG3 eq "zh")
tr(en, cn) = zh ? cn : en
# ...in a font with Chinese glyphs (fonts-wqy-microhei) for the Chinese variant.
set terminal svg size 800,560 fixed enhanced font (zh ? "WenQuanYi Micro Hei,14" : "sans,14") background rgb "white"
set output ARG2
set datafile commentschars "#"
set multiplot layout 2,2
set grid lc rgb "#dddddd"
set xrange [-4:4]
set xtics 2
set key top left samplen 1.5 font ",13"
set zeroaxis lc rgb "#999999"
f = "#1f77b4"
d = "#d62728"

set title "sigmoid"
set yrange [-0.1:1.25]
plot ARG1 using 1:2 with lines lw 2 lc rgb f title "σ(z)", \
     ARG1 using 1:3 with lines lw 2 lc rgb d title "σ'(z)"

set title "tanh"
set yrange [-1.1:1.8]
plot ARG1 using 1:4 with lines lw 2 lc rgb f title "tanh z", \
     ARG1 using 1:5 with lines lw 2 lc rgb d title "tanh'(z)"

# ReLU' jumps at 0: fsteps draws the jump where it is; the dot is the library's value at 0.
set title "ReLU"
set yrange [-0.2:4.1]
plot ARG1 using 1:6 with lines lw 2 lc rgb f title "ReLU(z)", \
     ARG1 using 1:7 with fsteps lw 2 lc rgb d title "ReLU'(z)", \
     ARG1 using 1:($1 == 0 ? $7 : NaN) with points pt 7 ps 0.8 lc rgb d notitle

set title tr("identity", "恒等函数")
set yrange [-4.2:4.2]
plot ARG1 using 1:8 with lines lw 2 lc rgb f title "z", \
     ARG1 using 1:9 with lines lw 2 lc rgb d title "1"
unset multiplot

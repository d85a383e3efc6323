# gnuplot -c modes.gp DATA.tsv OUT.svg
# Forward mode against reverse mode on n-n-n networks: the passes one gradient takes
# (left) and its measured time (right), against the number of parameters P.
# DATA columns: P, forward-mode seconds, reverse-mode seconds, ratio, its quartiles,
# forward-mode passes (P + 1), reverse-mode passes (2).
set terminal svg size 800,400 fixed enhanced font "sans,14" background rgb "white"
set output ARG2
set datafile commentschars "#"
set multiplot layout 1,2
set grid lc rgb "#dddddd"
set logscale xy
set format y "10^{%L}"
set xlabel "parameters P"
set key top left
f = "#d62728"
r = "#1f77b4"

set title "passes per gradient"
set ylabel "passes"
plot ARG1 using 1:7 with linespoints lw 2 pt 7 ps 0.6 lc rgb f title "forward mode: P + 1", \
     ARG1 using 1:8 with linespoints lw 2 pt 5 ps 0.6 lc rgb r title "reverse mode: 2"

set title "time per gradient (median)"
set ylabel "microseconds"
plot ARG1 using 1:($2*1e6) with linespoints lw 2 pt 7 ps 0.6 lc rgb f title "forward mode", \
     ARG1 using 1:($3*1e6) with linespoints lw 2 pt 5 ps 0.6 lc rgb r title "reverse mode"
unset multiplot

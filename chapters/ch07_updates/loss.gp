# gnuplot -c loss.gp DATA.tsv OUT.svg
# The loss J of the running example after each step of gradient descent, from step 0
# (the parameters before any update). DATA columns: step, loss.
set terminal svg size 720,450 fixed enhanced font "sans,14" background rgb "white"
set output ARG2
set datafile commentschars "#"
set grid lc rgb "#dddddd"
set key top right
set xlabel "step t"
set ylabel "loss J after t steps"
set yrange [0:*]
plot ARG1 using 1:2 with linespoints lw 2 pt 7 ps 0.35 lc rgb "#1f77b4" title "J, one update per step"

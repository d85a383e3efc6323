# gnuplot -c curves.gp ch08_training.curves.tsv ch08_training.curves.svg
# The training loss (left axis) and the train and test accuracy (right axis) per epoch.
set terminal svg size 720,450 fixed enhanced font "sans,14" background rgb "white"
set output ARG2
set key center right
set grid
set xlabel "epoch"
set ylabel "mean training loss per epoch"
set y2label "accuracy (%)"
set logscale y
set y2range [80:100.5]
set ytics nomirror
set y2tics
plot ARG1 using 1:2 with linespoints pt 7 ps 0.5 lw 2 title "loss" axes x1y1, \
     ARG1 using 1:($3*100) with lines lw 2 title "train accuracy" axes x1y2, \
     ARG1 using 1:($4*100) with lines lw 2 dt 2 title "test accuracy" axes x1y2

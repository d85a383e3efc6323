# The relative error of a numeric derivative of the running example's loss with respect to
# W^[1]_11, against the step h: central difference and Richardson, in double and in float.
# gnuplot -c step_error.gp appendix_gradcheck.step_error.tsv appendix_gradcheck.step_error.svg
# The words in the language of the edition: ARG3 "zh" draws the Chinese variant.
zh = (ARGC >= 3 && ARG3 eq "zh")
tr(en, cn) = zh ? cn : en
# ...in a font with Chinese glyphs (fonts-wqy-microhei) for the Chinese variant.
set terminal svg size 720,450 fixed enhanced font (zh ? "WenQuanYi Micro Hei,14" : "sans,14") background rgb "white"
set output ARG2
set datafile separator "\t"
set logscale xy
set format x "10^{%L}"
set format y "10^{%L}"
set xrange [1e-10:1e-1]
set yrange [1e-14:10]
set xlabel tr("step h", "步长 h")
set ylabel tr("relative error of dJ/dW^{[1]}_{11}", "dJ/dW^{[1]}_{11} 的相对误差")
set key bottom left box opaque
set grid
set arrow from graph 0, first 1e-7 to graph 1, first 1e-7 nohead dt 2 lw 1.5 lc rgb "#555555"
set label tr("the bar, 10^{-7}", "合格线 10^{-7}") at graph 0.02, first 3.5e-8 tc rgb "#555555"
plot ARG1 using 1:2 with linespoints pt 5 ps 0.4 lw 1.5 lc rgb "#ff7f0e" title tr("central, double", "中心差分，double"), \
     ''   using 1:3 with linespoints pt 9 ps 0.5 lw 1.5 lc rgb "#2ca02c" title tr("Richardson, double", "Richardson，double"), \
     ''   using 1:4 with linespoints pt 4 ps 0.4 lw 1.5 dt 2 lc rgb "#1f77b4" title tr("central, float", "中心差分，float"), \
     ''   using 1:5 with linespoints pt 8 ps 0.5 lw 1.5 dt 2 lc rgb "#d62728" title tr("Richardson, float", "Richardson，float")

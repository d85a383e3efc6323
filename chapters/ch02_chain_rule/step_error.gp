# The relative error of three numeric derivatives of e^{-x} against the step h, log-log.
# gnuplot -c step_error.gp ch02_chain_rule.step_error.tsv ch02_chain_rule.step_error.svg
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
set xrange [1e-13:1e-1]
set yrange [1e-15:1]
set xlabel tr("step h", "步长 h")
set ylabel tr("relative error of the derivative", "导数的相对误差")
set key bottom left box opaque
set grid
plot ARG1 index 0 using 1:2 with linespoints pt 7 ps 0.35 lw 1.5 lc rgb "#1f77b4" title tr("forward (h)", "前向差分 (h)"), \
     ''   index 0 using 1:3 with linespoints pt 5 ps 0.35 lw 1.5 lc rgb "#ff7f0e" title tr("central (h^2)", "中心差分 (h^2)"), \
     ''   index 0 using 1:4 with linespoints pt 9 ps 0.45 lw 1.5 lc rgb "#2ca02c" title tr("Richardson (h^4)", "Richardson (h^4)"), \
     ''   index 1 using 2:3 with points pt 6 ps 1.6 lw 2 lc rgb "black" title tr("best h", "最佳 h")

# gnuplot -c relu_kink.gp DATA.tsv OUT.svg
# ReLU' next to its central difference with a large step h: within h of the kink the
# difference quotient straddles it and ramps from 0 to 1, through 0.5 at z = 0.
# DATA columns: z, ReLU, ReLU', central difference, h.
# The words in the language of the edition: ARG3 "zh" draws the Chinese variant.
zh = (ARGC >= 3 && ARG3 eq "zh")
tr(en, cn) = zh ? cn : en
# ...in a font with Chinese glyphs (fonts-wqy-microhei) for the Chinese variant.
set terminal svg size 720,450 fixed enhanced font (zh ? "WenQuanYi Micro Hei,14" : "sans,14") background rgb "white"
set output ARG2
stats ARG1 using 5 nooutput
h = STATS_max
set grid lc rgb "#dddddd"
set xlabel "z"
set yrange [-0.1:1.15]
set key bottom right
set arrow from -h, graph 0 to -h, graph 1 nohead dt 3 lc rgb "#777777"
set arrow from h, graph 0 to h, graph 1 nohead dt 3 lc rgb "#777777"
set label "−h" at first -h, first 0.5 offset 0.5,0
set label "+h" at first h, first 0.5 offset 0.5,0
plot ARG1 using 1:3 with fsteps lw 2 lc rgb "#d62728" title "ReLU'(z)", \
     ARG1 using 1:4 with lines lw 2 dt 2 lc rgb "#1f77b4" title sprintf(tr("central difference, h = %g", "中心差分，h = %g"), h), \
     ARG1 using 1:($1 == 0 ? $3 : NaN) with points pt 7 ps 0.8 lc rgb "#d62728" title tr("the library's ReLU'(0)", "程序库的 ReLU'(0)")

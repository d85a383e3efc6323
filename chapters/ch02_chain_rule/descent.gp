# Gradient descent on J(w): the curve, the iterates w_k, and the tangent at w_0.
# gnuplot -c descent.gp ch02_chain_rule.descent.tsv ch02_chain_rule.descent.svg
# The words in the language of the edition: ARG3 "zh" draws the Chinese variant.
zh = (ARGC >= 3 && ARG3 eq "zh")
tr(en, cn) = zh ? cn : en
# ...in a font with Chinese glyphs (fonts-wqy-microhei) for the Chinese variant.
set terminal svg size 720,450 fixed enhanced font (zh ? "WenQuanYi Micro Hei,14" : "sans,14") background rgb "white"
set output ARG2
set datafile separator "\t"
set xlabel "w"
set ylabel "J(w)"
set key top center box opaque
set grid
set yrange [0:*]
plot ARG1 index 0 using 1:2 with lines lw 2 lc rgb "#1f77b4" title "J(w) = e^{w-2} + e^{2-w}", \
     ''   index 2 using 1:2 with lines lw 2 dt 2 lc rgb "#d62728" title tr("tangent at w_0, slope dJ/dw", "w_0 处的切线，斜率 dJ/dw"), \
     ''   index 1 using 2:3 with points pt 7 ps 0.7 lc rgb "#ff7f0e" title tr("iterates w_k", "迭代点 w_k"), \
     ''   index 1 every ::0::3 using 2:3:(sprintf("w_%d", int($1))) with labels offset 1.2,0.6 notitle

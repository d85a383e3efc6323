# gnuplot -c curves.gp ch08_training.curves.tsv ch08_training.curves.svg
# The training loss (left axis) and the train and test accuracy (right axis) per epoch.
# The words in the language of the edition: ARG3 "zh" draws the Chinese variant.
zh = (ARGC >= 3 && ARG3 eq "zh")
tr(en, cn) = zh ? cn : en
# ...in a font with Chinese glyphs (fonts-wqy-microhei) for the Chinese variant.
set terminal svg size 720,450 fixed enhanced font (zh ? "WenQuanYi Micro Hei,14" : "sans,14") background rgb "white"
set output ARG2
set key center right
set grid
set xlabel tr("epoch", "迭代周期")
set ylabel tr("mean training loss per epoch", "每个迭代周期的平均训练损失")
set y2label tr("accuracy (%)", "准确率（%）")
set logscale y
set y2range [80:100.5]
set ytics nomirror
set y2tics
plot ARG1 using 1:2 with linespoints pt 7 ps 0.5 lw 2 title tr("loss", "损失") axes x1y1, \
     ARG1 using 1:($3*100) with lines lw 2 title tr("train accuracy", "训练集准确率") axes x1y2, \
     ARG1 using 1:($4*100) with lines lw 2 dt 2 title tr("test accuracy", "测试集准确率") axes x1y2

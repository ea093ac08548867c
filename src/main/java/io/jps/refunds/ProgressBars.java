package io.jps.refunds;

import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The batch's progress bars: rows done of the batch, rows per second and time left, on the command's error stream. */
final class ProgressBars {

    private ProgressBars() {
    }

    static ProgressBar start(String task, long rows, PrintWriter err) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(rows).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" rows", 1).showSpeed().setUpdateIntervalMillis(500)
                .setConsumer(new DelegatingProgressBarConsumer(line -> {
                    err.print('\r' + line);
                    err.flush();
                }, 100))
                .build();
    }

    static void finish(ProgressBar bar, PrintWriter err) {
        bar.close();
        err.println();
        err.flush();
    }
}

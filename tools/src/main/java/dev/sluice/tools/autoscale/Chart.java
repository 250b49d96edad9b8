package dev.sluice.tools.autoscale;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** The demo's time series as three stacked panels (lag, replicas, throughput) in a PNG, drawn with Java2D. */
final class Chart {
    private static final int WIDTH = 960;
    private static final int PANEL = 220;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 40;

    private Chart() {
    }

    static void write(List<Sample> samples, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(WIDTH, TOP + 3 * PANEL + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 24);
        double tMax = Math.max(1, samples.get(samples.size() - 1).seconds());
        panel(g, samples, 0, "lag (records)", Sample::lag, new Color(200, 60, 40), tMax, false);
        panel(g, samples, 1, "replicas", Sample::replicas, new Color(40, 90, 200), tMax, true);
        panel(g, samples, 2, "throughput (records/s)", Sample::throughput, new Color(30, 150, 70), tMax, false);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("time (s)", WIDTH / 2, TOP + 3 * PANEL + 22);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, List<Sample> samples, int index, String label, ToDoubleFunction<Sample> y,
                              Color color, double tMax, boolean steps) {
        int top = TOP + index * PANEL + 10;
        int height = PANEL - 40;
        int width = WIDTH - LEFT - RIGHT;
        double top1 = Math.max(1, samples.stream().mapToDouble(y).max().orElse(1));
        double yMax = steps ? Math.ceil(top1 * 1.1 / 4) * 4 : top1 * 1.1;
        g.setColor(new Color(235, 235, 235));
        g.fillRect(LEFT, top, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            int py = top + height - i * height / 4;
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(LEFT, py, LEFT + width, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.0f", yMax * i / 4), 8, py + 4);
            int px = LEFT + i * width / 4;
            g.drawString(String.format(Locale.ROOT, "%.0f", tMax * i / 4), px - 6, top + height + 14);
        }
        g.setColor(Color.BLACK);
        g.drawString(label, LEFT + 6, top + 14);
        Path2D.Double line = new Path2D.Double();
        for (int i = 0; i < samples.size(); i++) {
            double px = LEFT + samples.get(i).seconds() / tMax * width;
            double py = top + height - y.applyAsDouble(samples.get(i)) / yMax * height;
            if (i == 0) {
                line.moveTo(px, py);
            } else {
                if (steps) {
                    // a sample's replicas ran during the interval that ends at it
                    line.lineTo(line.getCurrentPoint().getX(), py);
                }
                line.lineTo(px, py);
            }
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        g.draw(line);
        g.setStroke(new BasicStroke(1f));
    }
}

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.BufferPoolMXBean;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Grows one kind of JVM memory at a set rate up to a target, printing one JSON line per step and, when
 * -XX:NativeMemoryTracking=summary is on, the JVM's own NMT summary. Out-of-memory errors are not caught:
 * the JVM reports them itself, as it would for any application.
 *
 * Usage: java [JVM flags] Grow --grow heap|direct|metaspace|threads [--rate 50m] [--target 2g] [--step 1m]
 *        [--threads-per-step 16] [--nmt-every 500ms] [--hold 0]
 */
public final class Grow {
    private static final long START = System.nanoTime();
    private static final List<Object> RETAINED = new ArrayList<>();
    private static long grown;

    public static void main(String[] args) throws Exception {
        String grow = "heap";
        long rate = 50L << 20, target = Long.MAX_VALUE, step = 256L << 10, nmtEvery = 500, holdMs = 0;
        int threadsPerStep = 16;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--grow": grow = value; i++; break;
                case "--rate": rate = size(value); i++; break;
                case "--target": target = size(value); i++; break;
                case "--step": step = size(value); i++; break;
                case "--threads-per-step": threadsPerStep = Integer.parseInt(value); i++; break;
                case "--nmt-every": nmtEvery = millis(value); i++; break;
                case "--hold": holdMs = millis(value); i++; break;
                default:
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
            }
        }
        line("start", "\"grow\":\"" + grow + "\",\"maxHeap\":" + Runtime.getRuntime().maxMemory());
        long stepsPerSecond = Math.max(1, rate / Math.max(1, step));
        long pauseNanos = 1_000_000_000L / stepsPerSecond;
        long nextNmt = 0;
        long next = System.nanoTime();
        while (grown < target) {
            switch (grow) {
                case "heap": growHeap(step); break;
                case "direct": growDirect(step); break;
                case "metaspace": growMetaspace(Math.max(1, step >> 20)); break;
                case "threads": growThreads(threadsPerStep); break;
                default:
                    System.err.println("unknown --grow " + grow);
                    System.exit(2);
            }
            long now = System.nanoTime();
            if (nmtEvery > 0 && now >= nextNmt) {
                nmt();
                nextNmt = now + nmtEvery * 1_000_000L;
            }
            progress(grow);
            next += pauseNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
        }
        line("reached", "\"grown\":" + grown);
        nmt();
        if (holdMs > 0) Thread.sleep(holdMs);
        line("done", "\"grown\":" + grown);
        System.exit(0);
    }

    private static void growHeap(long bytes) {
        byte[] block = new byte[(int) Math.min(bytes, Integer.MAX_VALUE - 16)];
        // A new array is zeroed by the JVM, so its pages are touched already.
        RETAINED.add(block);
        grown += block.length;
    }

    private static void growDirect(long bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(bytes, Integer.MAX_VALUE - 16));
        for (int i = 0; i < buffer.capacity(); i += 4096) buffer.put(i, (byte) 1);
        RETAINED.add(buffer);
        grown += buffer.capacity();
    }

    /** Each new class loader defines a fresh proxy class, which lives in metaspace while the loader is reachable. */
    private static void growMetaspace(long classes) {
        for (long i = 0; i < classes * 64; i++) {
            ClassLoader loader = new URLClassLoader(new URL[0], Grow.class.getClassLoader());
            Object proxy = Proxy.newProxyInstance(loader, new Class<?>[] {Runnable.class}, (p, m, a) -> null);
            RETAINED.add(proxy);
            grown++;
        }
    }

    private static void growThreads(int count) {
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException ignored) {
                    // exits
                }
            });
            thread.setDaemon(true);
            thread.start();
            RETAINED.add(thread);
            grown++;
        }
    }

    private static void progress(String grow) {
        Runtime runtime = Runtime.getRuntime();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) direct = pool.getMemoryUsed();
        }
        long metaspace = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) metaspace = pool.getUsage().getUsed();
        }
        line("progress", String.format(Locale.ROOT,
            "\"grow\":\"%s\",\"grown\":%d,\"heapUsed\":%d,\"heapCommitted\":%d,\"directUsed\":%d,\"metaspaceUsed\":%d,\"threads\":%d",
            grow, grown, runtime.totalMemory() - runtime.freeMemory(), runtime.totalMemory(), direct, metaspace, Thread.activeCount()));
    }

    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_CATEGORY = Pattern.compile("^-\\s+([A-Za-z][A-Za-z ]*?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);

    /** The JVM's own account of its memory (NMT summary), through the same diagnostic command jcmd uses. */
    private static void nmt() {
        String text;
        try {
            Object result = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            text = String.valueOf(result);
        } catch (Exception e) {
            return;
        }
        Matcher total = NMT_TOTAL.matcher(text);
        if (!total.find()) return;
        StringBuilder categories = new StringBuilder();
        Matcher category = NMT_CATEGORY.matcher(text);
        while (category.find()) {
            if (categories.length() > 0) categories.append(',');
            categories.append('"').append(category.group(1).trim()).append("\":").append(category.group(3));
        }
        line("nmt", "\"reservedKb\":" + total.group(1) + ",\"committedKb\":" + total.group(2) + ",\"categoriesCommittedKb\":{" + categories + "}");
    }

    private static void line(String event, String fields) {
        long ms = (System.nanoTime() - START) / 1_000_000L;
        System.out.println("{\"event\":\"" + event + "\"," + fields + ",\"t_ms\":" + ms + "}");
        System.out.flush();
    }

    private static long size(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k') unit = 1L << 10;
        else if (last == 'm') unit = 1L << 20;
        else if (last == 'g') unit = 1L << 30;
        if (unit != 1) t = t.substring(0, t.length() - 1);
        return (long) (Double.parseDouble(t) * unit);
    }

    private static long millis(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) return Long.parseLong(t.substring(0, t.length() - 2));
        if (t.endsWith("s")) return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
        return Long.parseLong(t);
    }
}

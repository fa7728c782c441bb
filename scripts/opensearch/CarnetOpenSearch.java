import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.common.unit.TimeValue;

/**
 * The real OpenSearch server for tests and development: N nodes of one cluster in this JVM, on
 * free loopback ports, data in a temporary folder deleted on exit.
 *
 * <pre>java -cp CLASSPATH CarnetOpenSearch.java [NODES]</pre>
 *
 * Prints one line per node, "url http://127.0.0.1:PORT", the server's "version X.Y.Z", then "ready" once the cluster is green
 * with all its nodes. A line "stop I" on standard input stops node I (1 to N) and answers
 * "stopped I"; SIGTERM (or the end of standard input, when asked with --stdin) stops them all.
 * OpenSearch's own log goes to standard error.
 */
public class CarnetOpenSearch {
    public static void main(String[] args) throws Exception {
        int nodes = 1;
        boolean commands = false;
        for (String arg : args) {
            if (arg.equals("--stdin")) {
                commands = true;
            } else {
                nodes = Integer.parseInt(arg);
            }
        }
        // OpenSearch writes its log to the console appender; keep standard output for this
        // program's own lines.
        var out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err);

        List<Integer> httpPorts = freePorts(nodes);
        List<Integer> transportPorts = freePorts(nodes);
        String seeds = transportPorts.stream().map(port -> "127.0.0.1:" + port)
                .collect(Collectors.joining(","));
        var base = Files.createTempDirectory("carnet-opensearch");
        var runner = new OpenSearchRunner();
        int count = nodes;
        runner.onBuild((number, settings) -> {
            settings.put("http.port", httpPorts.get(number - 1));
            settings.put("transport.port", transportPorts.get(number - 1));
            settings.put("network.host", "127.0.0.1");
            settings.putList("discovery.seed_hosts", seeds.split(","));
            // A full disk on a developer's machine must not turn the test indexes read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            if (count > 1) {
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    names.add("Node " + i);
                }
                settings.putList("cluster.initial_cluster_manager_nodes", names);
            }
        }).build(OpenSearchRunner.newConfigs().basePath(base.toString()).numOfNode(nodes)
                .clusterName("carnet-" + ProcessHandle.current().pid()));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (IOException e) {
                System.err.println("closing OpenSearch: " + e);
            }
            runner.clean();
            stopped.countDown();
        }));

        runner.client().admin().cluster().prepareHealth().setWaitForNodes(String.valueOf(nodes))
                .setWaitForGreenStatus().setTimeout(TimeValue.timeValueSeconds(120)).get();
        for (int port : httpPorts) {
            out.println("url http://127.0.0.1:" + port);
        }
        out.println("version " + org.opensearch.Version.CURRENT);
        out.println("ready");

        if (commands) {
            var input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = input.readLine()) != null) {
                String[] words = line.trim().split("\\s+");
                if (words.length == 2 && words[0].equals("stop")) {
                    int number = Integer.parseInt(words[1]);
                    var node = runner.getNode(number - 1);
                    node.close();
                    node.awaitClose(30, java.util.concurrent.TimeUnit.SECONDS);
                    out.println("stopped " + number);
                }
            }
            System.exit(0);
        }
        stopped.await();
    }

    /** Ports free on the loopback interface now (all held at once, so they differ). */
    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).collect(Collectors.toList());
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}

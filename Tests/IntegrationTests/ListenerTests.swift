import Foundation
import Testing

/// Where the exporter listens and under which path, as exporter-toolkit's and Prometheus' flags
/// say: several listen addresses (IPv4 and IPv6), systemd socket activation, and a route prefix
/// behind a path-prefix proxy.
@Suite struct ListenerTests {
    @Test func everyListenAddressServes() async throws {
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.listen-address", "[::1]:0"])
        let v6 = try await exporter.process.waitForOutput(#"msg=listening address=(\[::1\]:\d+)"#)
        #expect(try await HTTP.get(exporter.baseURL + "/metrics").status == 200)
        // URLSession on Linux rejects IPv6 literals in URLs; curl does not.
        let curl = try ManagedProcess(name: "curl", executable: BuildProducts.systemTool("curl") ?? "/usr/bin/curl", arguments: ["-sS", "-g", "http://\(v6)/metrics"])
        #expect(try await curl.waitForExit(timeout: .seconds(30)) == 0)
        #expect(curl.stdout.contains("databrain_up"))
        try await exporter.stopAndCheckSecrets()
    }

    @Test func aSocketPassedBySystemdIsServed() async throws {
        let simulator = try await Simulator()
        let token = try TokenFile(simulator.token)
        // What systemd does for a .socket unit: bind, then exec the service with the socket as
        // descriptor 3 and LISTEN_FDS/LISTEN_PID set (setpriv execs in place, keeping the pid).
        let activate = """
            import os, socket, sys
            s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
            print("port", s.getsockname()[1], flush=True)
            os.dup2(s.fileno(), 3); os.set_inheritable(3, True)
            env = dict(os.environ, LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
            os.execvpe(sys.argv[1], sys.argv[1:], env)
            """
        let command = try ServiceUser.command(BuildProducts.exporter, [
            "--web.systemd-socket", "--databrain.url", simulator.baseURL, "--databrain.token-file", token.path, "--poll.interval", "300ms", "--poll.timeout", "250ms",
        ])
        let process = try ManagedProcess(name: "socket-activated", executable: BuildProducts.systemTool("python3") ?? "/usr/bin/python3",
                                         arguments: ["-c", activate, command.executable] + command.arguments)
        let port = try await process.waitForOutput(#"port (\d+)"#)
        _ = try await process.waitForOutput(#"msg=listening address=(127\.0\.0\.1:\d+)"#)
        try ServiceUser.check(pid: process.pid, name: "socket-activated exporter")
        let body = try await eventually("a scrape through the passed socket") {
            let reply = try await HTTP.get("http://127.0.0.1:\(port)/metrics")
            return reply.body.contains("databrain_datasources{") ? reply.body : nil
        }
        #expect(body.contains(#"databrain_up{target="127.0.0.1"#) && body.contains(" 1.0\n"))
        let status = try await process.stop()
        #expect(status == 0, "exit \(status), stderr: \(process.stderr)")
    }

    @Test func withoutSystemdSocketActivationFailsInOneLine() async throws {
        let process = try ManagedProcess(name: "cli", executable: BuildProducts.exporter, arguments: ["--web.systemd-socket", "--databrain.url", "http://127.0.0.1:9"],
                                         environment: ["DATABRAIN_TOKEN": "t"], asServiceUser: true)
        #expect(try await process.waitForExit() == 1)
        #expect(process.stderr.split(separator: "\n").count == 1)
        #expect(process.stderr.contains("no socket activation file descriptors found"))
    }

    @Test func behindAPathPrefixProxyEveryRouteAndLinkCarriesThePrefix() async throws {
        let simulator = try await Simulator()
        let exporter = try await Exporter(simulator: simulator, extra: ["--web.external-url", "https://proxy.example.com/databrain/"])
        #expect(try await HTTP.get(exporter.baseURL + "/databrain/metrics").body.contains("databrain_up"))
        #expect(try await HTTP.get(exporter.baseURL + "/databrain/-/healthy").status == 200)
        #expect(try await HTTP.get(exporter.baseURL + "/metrics").status == 404, "nothing outside the prefix")
        let landing = try await HTTP.get(exporter.baseURL + "/databrain/")
        #expect(landing.body.contains(#"href="/databrain/metrics""#) && landing.body.contains(#"href="/databrain/-/healthy""#))
        try await exporter.process.stop()

        // A proxy that strips its prefix: routes at the root, links still under the external path.
        let stripped = try await Exporter(simulator: simulator, extra: ["--web.external-url", "https://proxy.example.com/databrain", "--web.route-prefix", "/"])
        #expect(try await HTTP.get(stripped.baseURL + "/metrics").status == 200)
        #expect(try await HTTP.get(stripped.baseURL + "/").body.contains(#"href="/databrain/metrics""#))
        try await stripped.stopAndCheckSecrets()
    }
}

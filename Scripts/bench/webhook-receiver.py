#!/usr/bin/env python3
"""Scripts/bench/webhook-receiver.py: the loopback webhook receiver of Scripts/bench.sh.

    webhook-receiver.py PORT_FILE LOG_FILE

Listens on 127.0.0.1 (a free port, written to PORT_FILE once it listens), answers every POST
with 204 over HTTP/1.1 keep-alive, and appends each request's Idempotency-Key to LOG_FILE, one
line per request (so `wc -l` counts the requests). Runs until it is killed. Benchmark only.
"""
import http.server
import sys
import threading


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    lock = threading.Lock()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        key = self.headers.get("Idempotency-Key") or "-"
        with Receiver.lock, open(sys.argv[2], "a") as log:
            log.write(key + "\n")
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    # socketserver's default backlog is 5: curl's 8 parallel connections would overflow it, and a
    # dropped SYN is retried only after a second.
    request_queue_size = 128


server = Server(("127.0.0.1", 0), Receiver)
server.daemon_threads = True
with open(sys.argv[1], "w") as port_file:
    port_file.write(f"{server.server_address[1]}\n")
server.serve_forever()

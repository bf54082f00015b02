// The benchmark's backend: one small HTTP answer on every path, and a WebSocket echo on paths ending in /ws.
// Every proxy in the benchmark (none, the router, nginx, configurable-http-proxy) sits in front of this one process.
package main

import (
	"flag"
	"log"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/websocket"
)

var upgrader = websocket.Upgrader{
	ReadBufferSize:  4096,
	WriteBufferSize: 4096,
	CheckOrigin:     func(*http.Request) bool { return true },
}

func main() {
	listen := flag.String("listen", "127.0.0.1:18080", "address to listen on")
	size := flag.Int("size", 1024, "bytes in each HTTP answer")
	flag.Parse()
	body := []byte(strings.Repeat("w", *size))
	length := strconv.Itoa(len(body))
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/ws") {
			echo(w, r)
			return
		}
		// What real servers send besides the body (Go adds Date itself): proxies pass both on.
		w.Header().Set("Server", "wavestore-bench-backend")
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", length)
		w.Write(body)
	})
	log.Printf("backend on %s, %d-byte answers", *listen, *size)
	log.Fatal(http.ListenAndServe(*listen, nil))
}

func echo(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	for {
		kind, message, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if err := conn.WriteMessage(kind, message); err != nil {
			return
		}
	}
}

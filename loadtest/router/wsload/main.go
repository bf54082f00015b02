// WebSocket load through a proxy: opens -conns connections (at most -dial-concurrency at a time) and keeps them
// open; then -active of them send -size-byte messages back to back for -duration, each waiting for its echo
// before the next. It reports how many opened, the echo rate, and echo round-trip percentiles. With -hold it
// keeps the connections open that long after the test so that memory can be measured from outside; it prints
// "HOLDING" when every connection is open.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

func main() {
	url := flag.String("url", "ws://127.0.0.1:18080/ws", "WebSocket URL")
	origin := flag.String("origin", "", "Origin header (default: the URL's http origin)")
	conns := flag.Int("conns", 100, "connections to open and keep open")
	active := flag.Int("active", 50, "connections that send during the rate test")
	size := flag.Int("size", 64, "bytes per message")
	duration := flag.Duration("duration", 10*time.Second, "rate test length")
	dialConcurrency := flag.Int("dial-concurrency", 200, "connections being opened at once")
	hold := flag.Duration("hold", 0, "keep every connection open this long after opening them (memory measurement)")
	flag.Parse()
	if *origin == "" {
		o := "http" + (*url)[2:]
		for i := len("https://"); i < len(o); i++ {
			if o[i] == '/' {
				o = o[:i]
				break
			}
		}
		*origin = o
	}
	header := http.Header{}
	header.Set("Origin", *origin)
	dialer := websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024}

	sockets := make([]*websocket.Conn, *conns)
	var failed int64
	var firstError atomic.Value
	start := time.Now()
	sem := make(chan struct{}, *dialConcurrency)
	var wg sync.WaitGroup
	for i := 0; i < *conns; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			c, _, err := dialer.Dial(*url, header)
			if err != nil {
				atomic.AddInt64(&failed, 1)
				firstError.CompareAndSwap(nil, err.Error())
				return
			}
			sockets[i] = c
		}(i)
	}
	wg.Wait()
	opened := *conns - int(failed)
	fmt.Printf("opened %d/%d connections in %.1fs (%d failed", opened, *conns, time.Since(start).Seconds(), failed)
	if e := firstError.Load(); e != nil {
		fmt.Printf(", first error: %s", e)
	}
	fmt.Println(")")
	if *hold > 0 {
		fmt.Println("HOLDING")
		os.Stdout.Sync()
		time.Sleep(*hold)
	}

	message := make([]byte, *size)
	for i := range message {
		message[i] = 'w'
	}
	var count int64
	var errors int64
	latencies := make([][]time.Duration, *active)
	deadline := time.Now().Add(*duration)
	var run sync.WaitGroup
	senders := 0
	for i := 0; i < *conns && senders < *active; i++ {
		if sockets[i] == nil {
			continue
		}
		c := sockets[i]
		slot := senders
		senders++
		run.Add(1)
		go func() {
			defer run.Done()
			for time.Now().Before(deadline) {
				sent := time.Now()
				if err := c.WriteMessage(websocket.TextMessage, message); err != nil {
					atomic.AddInt64(&errors, 1)
					return
				}
				if _, _, err := c.ReadMessage(); err != nil {
					atomic.AddInt64(&errors, 1)
					return
				}
				latencies[slot] = append(latencies[slot], time.Since(sent))
				atomic.AddInt64(&count, 1)
			}
		}()
	}
	run.Wait()
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(p*float64(len(all)-1))].Microseconds()) / 1000
	}
	fmt.Printf("echoes %d in %s by %d senders: %.0f msg/s round trips, p50 %.2f ms, p99 %.2f ms, %d errors\n",
		count, duration.String(), senders, float64(count)/duration.Seconds(), pct(0.50), pct(0.99), errors)
	for _, c := range sockets {
		if c != nil {
			c.Close()
		}
	}
}

// Command pause is the pod sandbox's placeholder process (what registry.k8s.io/pause does): it holds the
// pod's namespaces open and exits on SIGINT or SIGTERM. Built here because no registry is reachable.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
}

//go:build tools

// Package tools names the client command this module builds, so `go mod tidy` keeps its dependencies. A module
// of its own, so neither the control plane's nor the node's cache key changes when the clients' does.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kubectl"
)

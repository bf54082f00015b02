//go:build tools

// Package tools names the node's Kubernetes commands this module builds, so `go mod tidy` keeps their
// dependencies. A module of its own, so the control plane's cache key does not change when the node's does.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kubelet"
)

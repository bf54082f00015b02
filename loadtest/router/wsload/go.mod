module wavestore.io/loadtest/router/wsload

go 1.22

require github.com/gorilla/websocket v1.5.3

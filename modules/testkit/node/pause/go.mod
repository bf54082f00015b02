module wavestore.io/testkit/node/pause

go 1.26.0

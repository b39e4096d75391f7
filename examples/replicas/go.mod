module github.com/hetong-go/hetong/examples/replicas

go 1.23.0

require (
	github.com/hetong-go/hetong v0.0.0
	github.com/hetong-go/hetong/redisstore v0.0.0
	github.com/redis/go-redis/v9 v9.17.3
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/coder/websocket v1.8.12 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/go-redis/redis_rate/v10 v10.0.1 // indirect
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	github.com/google/go-querystring v1.1.0 // indirect
	golang.org/x/net v0.43.0 // indirect
	golang.org/x/time v0.12.0 // indirect
)

replace (
	github.com/hetong-go/hetong => ../..
	github.com/hetong-go/hetong/redisstore => ../../redisstore
)

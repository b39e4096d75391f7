module github.com/hetong-go/hetong

go 1.23.0

require (
	github.com/coder/websocket v1.8.12
	github.com/go-resty/resty/v2 v2.17.2
	github.com/google/go-querystring v1.1.0
	github.com/jarcoal/httpmock v1.4.2
	github.com/stretchr/testify v1.12.1
	golang.org/x/time v0.12.0
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/net v0.43.0 // indirect
)

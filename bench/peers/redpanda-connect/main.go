// A minimal Redpanda Connect binary for Switchboard's peer benchmark (bench/peers.bench.ts).
// It links only the components the benchmark's pipelines use, so it builds in about a
// minute and a half instead of the full distribution's many minutes:
//   - kafka:     kafka_franz input/output (franz-go client)
//   - confluent: schema_registry_decode / schema_registry_encode processors
//   - io:        http_client output, stdin/stdout
//   - pure:      bloblang mapping and the core processors
//
// Built by bench/peers/redpanda-connect.ts into ~/.cache/switchboard/peers; see
// bench/peers/README.md.
package main

import (
	"context"

	"github.com/redpanda-data/benthos/v4/public/service"

	_ "github.com/redpanda-data/benthos/v4/public/components/io"
	_ "github.com/redpanda-data/benthos/v4/public/components/pure"
	_ "github.com/redpanda-data/connect/v4/public/components/confluent"
	_ "github.com/redpanda-data/connect/v4/public/components/kafka"
)

// Set by the build script (-ldflags -X) to the connect module version from go.mod.
var version = "unknown"

func main() {
	service.RunCLI(context.Background(), service.CLIOptSetVersion(version, "unknown"), service.CLIOptSetBinaryName("redpanda-connect"))
}

#!/usr/bin/env bash
# Regenerates Sources/RemoteWrite/Protocol/remote.pb.swift from Protos/remote.proto.
#
# The generated Swift is committed, so neither building nor testing needs this script or protoc.
# Run it only after changing Protos/. It needs:
#   - protoc, from Debian's protobuf-compiler (apt-get install protobuf-compiler);
#   - protoc-gen-swift of the SAME swift-protobuf version the package resolves (1.39.0), built once
#     outside the package:
#       git clone https://github.com/apple/swift-protobuf.git /tmp/swift-protobuf
#       cd /tmp/swift-protobuf && git checkout 1.39.0
#       swift build -c release --product protoc-gen-swift     # about 10 minutes on 2 shared cores
#     and passed as PROTOC_GEN_SWIFT=/tmp/swift-protobuf/.build/release/protoc-gen-swift.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}"
if [[ -z "$plugin" || ! -x "$plugin" ]]; then
    echo "generate-protos.sh: set PROTOC_GEN_SWIFT to a protoc-gen-swift 1.39.0 binary (see this script's header)" >&2
    exit 2
fi
command -v protoc >/dev/null || { echo "generate-protos.sh: protoc missing: apt-get install protobuf-compiler" >&2; exit 2; }

# Internal visibility: the messages are the module's wire format, not its API.
protoc --plugin=protoc-gen-swift="$plugin" \
       --proto_path="$root/Protos" \
       --swift_opt=Visibility=Internal \
       --swift_out="$root/Sources/RemoteWrite/Protocol" \
       "$root/Protos/remote.proto"
echo "wrote Sources/RemoteWrite/Protocol/remote.pb.swift" >&2

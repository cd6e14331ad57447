#!/bin/sh
# Compiles tern_tc.c into the BPF object impl-relay ships (see README, "Kernel plane").
# Usage: build.sh [output]; default output: the committed resource. Run from anywhere: paths in the object's
# debug info are made relative, so the same clang gives the same bytes in any checkout.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/../resources/dev/tern/relay/kernel/tern_tc.bpf.o"}
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
cd "$here"
clang -O2 -g -target bpf -Wall -Werror \
  -I"/usr/include/$multiarch" \
  -fdebug-prefix-map="$here"=. -fdebug-compilation-dir=. \
  -c tern_tc.c -o "$out"

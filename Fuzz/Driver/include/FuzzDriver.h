#ifndef SIGNET_FUZZ_DRIVER_H
#define SIGNET_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver (its command-line options, corpus directories, crash reports) over
/// `callback`, then exits with its status. SwiftPM links a Swift executable's `main` to the
/// module's own entry point, so libFuzzer's `main` never runs: each target's `@main` calls this.
__attribute__((noreturn))
void SignetFuzzRun(int argc, char *_Nullable *_Nonnull argv, int (*_Nonnull callback)(const uint8_t *_Nullable data, size_t size));

#endif

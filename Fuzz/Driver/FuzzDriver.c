#include "FuzzDriver.h"

#include <stdlib.h>

// Defined by libFuzzer (compiler-rt FuzzerDriver.cpp), linked by -sanitize=fuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

void SignetFuzzRun(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size)) {
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback));
}

"""sigstore-python's in-process verification rate, the peer signet-bench batch measures against.

Usage: python sigstore-python-rate.py BUNDLE TRUSTED_ROOT ARTIFACT IDENTITY ISSUER SECONDS

Each iteration parses the bundle JSON and verifies it (Verifier.verify_artifact with an
Identity policy), as `signet verify --manifest` reads and verifies each entry; the trusted root
is read once. Prints one JSON line: {"verified": N, "seconds": S, "rate": N/S}.
"""

import json
import sys
import time

from sigstore.models import Bundle, TrustedRoot
from sigstore.verify import Verifier, policy


def main() -> None:
    bundle_path, root_path, artifact_path, identity, issuer, seconds = sys.argv[1:7]
    verifier = Verifier(trusted_root=TrustedRoot.from_file(root_path))
    with open(bundle_path, encoding="utf-8") as handle:
        bundle_text = handle.read()
    with open(artifact_path, "rb") as handle:
        artifact = handle.read()
    expected = policy.Identity(identity=identity, issuer=issuer)
    # One verification outside the clock: imports and first-use caches are not the rate.
    verifier.verify_artifact(artifact, Bundle.from_json(bundle_text), expected)
    deadline = time.perf_counter() + float(seconds)
    start = time.perf_counter()
    verified = 0
    while time.perf_counter() < deadline:
        verifier.verify_artifact(artifact, Bundle.from_json(bundle_text), expected)
        verified += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"verified": verified, "seconds": elapsed, "rate": verified / elapsed}))


if __name__ == "__main__":
    main()

import Hummingbird

/// The OpenAPI 3.1 document of every endpoint the server serves, served at
/// `GET /api/openapi.json`. It is the HTTP API's contract: `OpenAPIDocumentTests` proves it
/// lists exactly the router's operations, and `.ci/api-contract` runs schemathesis against a
/// live server with it (every answer must conform, none may be a 5xx).
enum OpenAPIDocument {
    /// The document, as served.
    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Signet",
            "version": "1",
            "description": "Every endpoint a Signet server serves: a Fulcio-compatible CA, a Rekor v1- and v2-compatible transparency log with C2SP tlog tiles, an RFC 3161 TSA, trust distribution, Signet's artifact API, operations, the development identity provider (`signet server --dev` only) and the web UI.\n\nErrors are `{\"code\": <HTTP status>, \"error\": \"<stable code>\", \"message\": \"<what was expected, what was found>\"}` (`application/json`), except the TSA's rejections (a `TimeStampResp`) and the web UI's pages (`text/html`). Any path the server does not serve answers 404 `not-found`; a served path asked with a method it does not serve answers 405 `method-not-allowed` with an `Allow` header listing the methods it serves (RFC 9110 §15.5.6); a request the HTTP parser refuses 400 `malformed-request`, and a request whose body has not arrived within the server's `requestTimeoutSeconds` of its head 408 `request-timeout` (its connection is then closed). A request the server failed to answer is 500 `internal`; a CA that cannot sign, 500 `signing-failed`: neither is ever expected.\n\nRequest bodies in protobuf JSON (the Sigstore messages) also accept each member's snake_case spelling and read an explicit null as absent; members a message does not define are refused. Every answer carries `Cache-Control` (`no-store` unless said otherwise)."
          },
          "tags": [
            {
              "name": "Fulcio"
            },
            {
              "name": "Rekor v1"
            },
            {
              "name": "Rekor v2"
            },
            {
              "name": "TSA"
            },
            {
              "name": "Trust"
            },
            {
              "name": "Artifacts"
            },
            {
              "name": "Operations"
            },
            {
              "name": "Development identity provider"
            },
            {
              "name": "Web UI"
            },
            {
              "name": "Releases",
              "description": "Release quorums: requests, approvals signed by each approver, quorum attestations."
            }
          ],
          "paths": {
            "/api/v2/signingCert": {
              "post": {
                "operationId": "createSigningCertificate",
                "summary": "Issue a short-lived signing certificate (Fulcio v2)",
                "tags": [
                  "Fulcio"
                ],
                "responses": {
                  "200": {
                    "description": "The certificate, with its chain, the SCT embedded.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/SigningCertificate"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Not a valid request: malformed JSON, a bad CSR or key, or a proof of possession that does not verify. Stable codes: `invalid-request`, `unsupported-key`, `invalid-proof-of-possession`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "unsupported-key",
                                "invalid-proof-of-possession"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "No token (neither `credentials.oidcIdentityToken` nor `Authorization: Bearer`), or a token that does not verify. Stable codes: `missing-token`, `malformed-token`, `unknown-issuer`, `unsupported-algorithm`, `unknown-key`, `bad-signature`, `wrong-audience`, `expired`, `missing-claim`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "missing-token",
                                "malformed-token",
                                "unknown-issuer",
                                "unsupported-algorithm",
                                "unknown-key",
                                "bad-signature",
                                "wrong-audience",
                                "expired",
                                "missing-claim"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/SigningCertificateRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 65536,
                  "description": "At most 65536 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {}
                ],
                "description": "The token is taken from `credentials.oidcIdentityToken` in the body if present (it wins, as in Fulcio), else from the `Authorization: Bearer` header."
              }
            },
            "/api/v2/trustBundle": {
              "get": {
                "operationId": "getTrustBundle",
                "summary": "The CA chain (Fulcio v2)",
                "tags": [
                  "Fulcio"
                ],
                "responses": {
                  "200": {
                    "description": "Intermediate, then root, in PEM.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/TrustBundle"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/v1/rootCert": {
              "get": {
                "operationId": "getRootCertificate",
                "summary": "The CA chain in PEM (Fulcio v1)",
                "tags": [
                  "Fulcio"
                ],
                "responses": {
                  "200": {
                    "description": "Intermediate, then root.",
                    "content": {
                      "application/pem-certificate-chain": {
                        "schema": {
                          "type": "string",
                          "pattern": "^(-----BEGIN CERTIFICATE-----\\n[A-Za-z0-9+/=\\n]+-----END CERTIFICATE-----\\n)+$"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/v1/log/entries": {
              "post": {
                "operationId": "createLogEntry",
                "summary": "Append an entry (Rekor v1)",
                "tags": [
                  "Rekor v1"
                ],
                "responses": {
                  "200": {
                    "description": "The log already holds this entry: the same entry (Rekor answers 409 here).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/LogEntry"
                        }
                      }
                    },
                    "headers": {
                      "ETag": {
                        "description": "The 80-hex entry ID.",
                        "schema": {
                          "type": "string",
                          "pattern": "^[0-9a-f]{80}$"
                        }
                      },
                      "Location": {
                        "description": "`/api/v1/log/entries/<entry ID>`.",
                        "schema": {
                          "type": "string",
                          "pattern": "^/api/v1/log/entries/[0-9a-f]{80}$"
                        }
                      }
                    },
                    "links": {
                      "GetEntryByUUID": {
                        "operationId": "getLogEntryByUUID",
                        "parameters": {
                          "entryUUID": "$response.header.ETag"
                        }
                      }
                    }
                  },
                  "201": {
                    "description": "Appended and committed; the entry with its SET and inclusion proof.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/LogEntry"
                        }
                      }
                    },
                    "headers": {
                      "ETag": {
                        "description": "The 80-hex entry ID.",
                        "schema": {
                          "type": "string",
                          "pattern": "^[0-9a-f]{80}$"
                        }
                      },
                      "Location": {
                        "description": "`/api/v1/log/entries/<entry ID>`.",
                        "schema": {
                          "type": "string",
                          "pattern": "^/api/v1/log/entries/[0-9a-f]{80}$"
                        }
                      }
                    },
                    "links": {
                      "GetEntryByUUID": {
                        "operationId": "getLogEntryByUUID",
                        "parameters": {
                          "entryUUID": "$response.header.ETag"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Not a valid proposed entry, an unsupported kind, hash or key, or a signature that does not verify. Stable codes: `invalid-entry`, `unsupported`, `signature-invalid`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-entry",
                                "unsupported",
                                "signature-invalid"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "With `logAccepts: instance`: a signature made with neither a certificate this instance's CA issued nor a registered key. Stable code: `log-restricted`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "log-restricted"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The store failed; nothing was appended, the request may be retried. Stable codes: `unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/ProposedEntry"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 262144,
                  "description": "At most 262144 bytes (413 `body-too-large` beyond)."
                },
                "security": []
              },
              "get": {
                "operationId": "getLogEntryByIndex",
                "summary": "An entry by its index (Rekor v1)",
                "tags": [
                  "Rekor v1"
                ],
                "responses": {
                  "200": {
                    "description": "The entry.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/LogEntry"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "`logIndex` is missing or not a non-negative integer. Stable codes: `invalid-request`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "The log holds no entry at that index. Stable codes: `not-found`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "not-found"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "logIndex",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "integer",
                      "minimum": 0,
                      "maximum": 9223372036854775807
                    }
                  }
                ],
                "security": []
              }
            },
            "/api/v1/log/entries/{entryUUID}": {
              "get": {
                "operationId": "getLogEntryByUUID",
                "summary": "An entry by UUID or entry ID (Rekor v1)",
                "tags": [
                  "Rekor v1"
                ],
                "responses": {
                  "200": {
                    "description": "The entry.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/LogEntry"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Not a 64-hex UUID or an 80-hex entry ID. Stable codes: `invalid-request`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "No such entry, or an entry ID of another tree. Stable codes: `not-found`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "not-found"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "entryUUID",
                    "in": "path",
                    "required": true,
                    "description": "A 64-hex entry UUID (the leaf hash) or an 80-hex entry ID of this tree, case-insensitive.",
                    "schema": {
                      "type": "string",
                      "pattern": "^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$"
                    }
                  }
                ],
                "security": []
              }
            },
            "/api/v1/log/entries/retrieve": {
              "post": {
                "operationId": "searchLogQuery",
                "summary": "Entries by UUID, index or proposed entry (Rekor v1)",
                "tags": [
                  "Rekor v1"
                ],
                "responses": {
                  "200": {
                    "description": "The entries found, each a one-member LogEntry map.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/LogEntryList"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed query, UUID, index or proposed entry. Stable codes: `invalid-request`, `invalid-entry`, `unsupported`, `signature-invalid`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-entry",
                                "unsupported",
                                "signature-invalid"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "An 80-hex entry ID names another tree. Stable codes: `not-found`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "not-found"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "422": {
                    "description": "More than 10 queries in one search. Stable codes: `too-many-queries`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "too-many-queries"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/SearchLogQuery"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 262144,
                  "description": "At most 262144 bytes (413 `body-too-large` beyond)."
                },
                "security": []
              }
            },
            "/api/v1/index/retrieve": {
              "post": {
                "operationId": "searchIndex",
                "summary": "Entry IDs by artifact hash, key or email (Rekor v1)",
                "tags": [
                  "Rekor v1"
                ],
                "responses": {
                  "200": {
                    "description": "Matching 80-hex entry IDs in log order (at most 1000 per key).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "array",
                          "items": {
                            "type": "string",
                            "pattern": "^[0-9a-f]{80}$"
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed query, or no key to search by. Stable codes: `invalid-request`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/SearchIndex"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 65536,
                  "description": "At most 65536 bytes (413 `body-too-large` beyond)."
                },
                "security": []
              }
            },
            "/api/v1/log": {
              "get": {
                "operationId": "getLogInfo",
                "summary": "The signed tree head (Rekor v1)",
                "tags": [
                  "Rekor v1"
                ],
                "responses": {
                  "200": {
                    "description": "The tree head.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/LogInfo"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/v1/log/proof": {
              "get": {
                "operationId": "getLogProof",
                "summary": "A consistency proof (Rekor v1)",
                "tags": [
                  "Rekor v1"
                ],
                "responses": {
                  "200": {
                    "description": "The proof from `firstSize` to `lastSize`, and the root at `lastSize`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ConsistencyProof"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Not `1 <= firstSize <= lastSize <= tree size`, or not integers. Stable codes: `invalid-request`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "firstSize",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "integer",
                          "minimum": 1,
                          "maximum": 9223372036854775807
                        }
                      ]
                    },
                    "description": "Default 1. An empty value is read as absent."
                  },
                  {
                    "name": "lastSize",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "integer",
                          "minimum": 1,
                          "maximum": 9223372036854775807
                        }
                      ]
                    },
                    "description": "Default: the current tree size. An empty value is read as absent."
                  }
                ],
                "security": []
              }
            },
            "/api/v1/log/publicKey": {
              "get": {
                "operationId": "getLogPublicKey",
                "summary": "The v1 log's public key",
                "tags": [
                  "Rekor v1"
                ],
                "responses": {
                  "200": {
                    "description": "PEM SubjectPublicKeyInfo (ECDSA P-256).",
                    "content": {
                      "application/x-pem-file": {
                        "schema": {
                          "type": "string",
                          "pattern": "^-----BEGIN PUBLIC KEY-----\\n"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/v2/log/entries": {
              "post": {
                "operationId": "createLogEntryV2",
                "summary": "Append an entry (Rekor v2)",
                "tags": [
                  "Rekor v2"
                ],
                "responses": {
                  "200": {
                    "description": "The log already holds this entry: the same entry (rekor-tiles answers 409 here).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/TransparencyLogEntry"
                        }
                      }
                    },
                    "headers": {
                      "x-log-index": {
                        "schema": {
                          "type": "string",
                          "pattern": "^[0-9]+$"
                        },
                        "description": "The entry's index."
                      }
                    }
                  },
                  "201": {
                    "description": "Appended and committed: the entry with its inclusion proof and checkpoint.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/TransparencyLogEntry"
                        }
                      }
                    },
                    "headers": {
                      "x-log-index": {
                        "schema": {
                          "type": "string",
                          "pattern": "^[0-9]+$"
                        },
                        "description": "The entry's index."
                      }
                    },
                    "links": {
                      "GetEntry": {
                        "operationId": "getLogEntryByIndex",
                        "parameters": {
                          "logIndex": "$response.header.x-log-index"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Not a valid request, an unsupported key, or a signature that does not verify. Stable codes: `invalid-entry`, `unsupported`, `signature-invalid`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-entry",
                                "unsupported",
                                "signature-invalid"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "With `logAccepts: instance`: a signature made with neither a certificate this instance's CA issued nor a registered key. Stable code: `log-restricted`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "log-restricted"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The store failed; nothing was appended, the request may be retried. Stable codes: `unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/CreateEntryRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 262144,
                  "description": "At most 262144 bytes (413 `body-too-large` beyond)."
                },
                "security": []
              }
            },
            "/api/v2/checkpoint": {
              "get": {
                "operationId": "getCheckpoint",
                "summary": "The latest checkpoint (C2SP tlog-checkpoint)",
                "tags": [
                  "Rekor v2"
                ],
                "responses": {
                  "200": {
                    "description": "A signed note: origin, size, base64 root hash, then signature lines.",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/v2/tile/{tilePath}": {
              "get": {
                "operationId": "getTile",
                "summary": "A Merkle tile or an entry bundle (C2SP tlog-tiles)",
                "tags": [
                  "Rekor v2"
                ],
                "responses": {
                  "200": {
                    "description": "The tile: concatenated 32-byte hashes, or for `entries/…` each entry body prefixed with its big-endian 16-bit length. A full tile is immutable and cached for a year.",
                    "headers": {
                      "Cache-Control": {
                        "schema": {
                          "enum": [
                            "public, max-age=31536000, immutable",
                            "no-store"
                          ]
                        }
                      }
                    },
                    "content": {
                      "application/octet-stream": {
                        "schema": {
                          "type": "string",
                          "format": "binary"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "Not a tile path, or a tile the tree does not have yet. Stable codes: `not-found`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "not-found"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "tilePath",
                    "in": "path",
                    "required": true,
                    "x-signet-multi-segment": true,
                    "description": "The rest of the path, over several segments: `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`, N in groups of three digits, all but the last prefixed with `x`.",
                    "schema": {
                      "type": "string",
                      "pattern": "^(entries|[0-9]|[1-5][0-9]|6[0-3])/(x[0-9]{3}/)*[0-9]{3}(\\.p/[1-9][0-9]{0,2})?$",
                      "example": "0/x001/234.p/7"
                    }
                  }
                ],
                "security": []
              }
            },
            "/api/v1/timestamp": {
              "post": {
                "operationId": "createTimestamp",
                "summary": "An RFC 3161 timestamp",
                "tags": [
                  "TSA"
                ],
                "responses": {
                  "200": {
                    "description": "A granted `TimeStampResp` (DER).",
                    "content": {
                      "application/timestamp-reply": {
                        "schema": {
                          "type": "string",
                          "format": "binary"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A rejection `TimeStampResp` (status 2, with its failure info) for a malformed or unsupported query; the `Signet-Error` header says why.",
                    "headers": {
                      "Signet-Error": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "content": {
                      "application/timestamp-reply": {
                        "schema": {
                          "type": "string",
                          "format": "binary"
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  }
                },
                "requestBody": {
                  "required": true,
                  "x-signet-max-body-bytes": 4096,
                  "description": "A DER `TimeStampReq` (RFC 3161 §2.4.1), at most 4096 bytes.",
                  "content": {
                    "application/timestamp-query": {
                      "schema": {
                        "type": "string",
                        "format": "binary",
                        "maxLength": 4096
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/v1/timestamp/certchain": {
              "get": {
                "operationId": "getTimestampCertChain",
                "summary": "The TSA's chain in PEM",
                "tags": [
                  "TSA"
                ],
                "responses": {
                  "200": {
                    "description": "TSA leaf, then root.",
                    "content": {
                      "application/pem-certificate-chain": {
                        "schema": {
                          "type": "string",
                          "pattern": "^(-----BEGIN CERTIFICATE-----\\n[A-Za-z0-9+/=\\n]+-----END CERTIFICATE-----\\n)+$"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/v1/trust/config": {
              "get": {
                "operationId": "getTrustConfig",
                "summary": "This instance's Sigstore ClientTrustConfig",
                "tags": [
                  "Trust"
                ],
                "responses": {
                  "200": {
                    "description": "The trust configuration.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ClientTrustConfig"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/healthz": {
              "get": {
                "operationId": "health",
                "summary": "Liveness",
                "tags": [
                  "Operations"
                ],
                "responses": {
                  "200": {
                    "description": "The process serves.",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "const": "ok\n"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/readyz": {
              "get": {
                "operationId": "ready",
                "summary": "Readiness",
                "tags": [
                  "Operations"
                ],
                "responses": {
                  "200": {
                    "description": "The store answers.",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "const": "ready\n"
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "The store does not answer. Stable codes: `not-ready`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "not-ready"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/metrics": {
              "get": {
                "operationId": "metrics",
                "summary": "Prometheus metrics",
                "tags": [
                  "Operations"
                ],
                "responses": {
                  "200": {
                    "description": "Prometheus text exposition format 0.0.4.",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/openapi.json": {
              "get": {
                "operationId": "getOpenAPIDocument",
                "summary": "This document",
                "tags": [
                  "Operations"
                ],
                "responses": {
                  "200": {
                    "description": "The OpenAPI 3.1 document of every endpoint.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "openapi",
                            "info",
                            "paths"
                          ]
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/dev-idp/.well-known/openid-configuration": {
              "get": {
                "operationId": "getDevelopmentDiscovery",
                "summary": "The development identity provider's discovery document (`--dev` only)",
                "tags": [
                  "Development identity provider"
                ],
                "responses": {
                  "200": {
                    "description": "OpenID Connect Discovery 1.0 §3.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OpenIDConfiguration"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/dev-idp/jwks": {
              "get": {
                "operationId": "getDevelopmentKeys",
                "summary": "The development identity provider's JWK Set (`--dev` only)",
                "tags": [
                  "Development identity provider"
                ],
                "responses": {
                  "200": {
                    "description": "RFC 7517 §5.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/JWKSet"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/api/signet/v1/signingCert": {
              "post": {
                "operationId": "createArtifactSigningCertificate",
                "summary": "A signing certificate with stated provenance",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The certificate, with its chain, the SCT embedded.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/SigningCertificate"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request or provenance, credentials in the body, a stated value that contradicts the token, or a bad CSR, key or proof. Stable codes: `invalid-request`, `invalid-provenance`, `provenance-conflict`, `unsupported-key`, `invalid-proof-of-possession`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-provenance",
                                "provenance-conflict",
                                "unsupported-key",
                                "invalid-proof-of-possession"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds the sign scope in no namespace. Stable codes: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/ArtifactSigningCertificateRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 65536,
                  "description": "At most 65536 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/signatures": {
              "post": {
                "operationId": "registerSignature",
                "summary": "Register a signature under a digest-pinned name",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "201": {
                    "description": "Registered.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Registration"
                        }
                      }
                    },
                    "links": {
                      "GetArtifact": {
                        "operationId": "getArtifact",
                        "parameters": {
                          "name": "$response.body#/name"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request, name, namespace or stated provenance, several namespaces and none named, a bundle that does not verify for the name as signed by the caller or is not a message signature (attestations go to `POST /api/signet/v1/attestations`), or stated provenance that contradicts the certificate. Stable codes: `invalid-request`, `invalid-name`, `invalid-namespace`, `namespace-required`, `signature-invalid`, `invalid-provenance`, `provenance-conflict`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-name",
                                "invalid-namespace",
                                "namespace-required",
                                "signature-invalid",
                                "invalid-provenance",
                                "provenance-conflict"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller does not hold the sign scope in the namespace that owns the name, another namespace was named, or no namespace owns the name. Stable codes: `namespace-denied`, `name-unowned`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied",
                                "name-unowned"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "409": {
                    "description": "The name belongs to another namespace, a revocation already covers the signature's source ref, or the signature is registered under another name. Stable codes: `namespace-conflict`, `revoked`, `already-registered`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-conflict",
                                "revoked",
                                "already-registered"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RegistrationRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 262144,
                  "description": "At most 262144 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/signatures/authorize": {
              "post": {
                "operationId": "authorizeSigning",
                "summary": "Pre-flight of signing by name: would the registration be accepted?",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "Accepted: the namespace, identity and provenance the signing would have. Nothing is written.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Authorization"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request, name, namespace or provenance; a stated value that contradicts the token; several namespaces and none named. Stable codes: `invalid-request`, `invalid-name`, `invalid-namespace`, `invalid-provenance`, `provenance-conflict`, `namespace-required`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-name",
                                "invalid-namespace",
                                "invalid-provenance",
                                "provenance-conflict",
                                "namespace-required"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller does not hold the sign scope in the namespace that owns the name, another namespace was named, or no namespace owns the name. Stable codes: `namespace-denied`, `name-unowned`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied",
                                "name-unowned"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "409": {
                    "description": "The name belongs to another namespace, or a revocation already covers the source ref. Stable codes: `namespace-conflict`, `revoked`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-conflict",
                                "revoked"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/AuthorizationRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 16384,
                  "description": "At most 16384 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/attestations": {
              "get": {
                "operationId": "getAttestations",
                "summary": "A name's attestations, by predicate type, each with its bundle",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The attestations of the name (of `type`, if given), oldest first, each with its bundle whole. `namespace` is null and the list empty when nothing is registered.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AttestationList"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "`name` is missing or not a digest-pinned name, or `type` is neither a short name nor an absolute URI. Stable codes: `invalid-query`, `invalid-name`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query",
                                "invalid-name"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds neither read nor verify in the namespace that owns the name (or in any namespace). Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "name",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 512,
                      "pattern": "^[!-~]+@sha256:[0-9a-f]{64}$",
                      "description": "An artifact name pinned by digest: `host[:port]/path@sha256:<64 lower-case hex>` (a tag before the digest is dropped). At most 512 bytes.",
                      "example": "registry.example.com/team/app@sha256:5e6ae9de58c1177bea615b4fcbfb2fd688e8c4b51c2e56b6a38e817833ec24a2"
                    }
                  },
                  {
                    "name": "type",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string",
                      "maxLength": 512,
                      "description": "A predicate type: a short name (`slsa-provenance`, `spdx`, `cyclonedx`, `openvex`, `vuln`, `test-result`, `vsa`) or an absolute URI. An empty value is read as absent."
                    }
                  }
                ],
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "Needs a credential (an OIDC identity token or an API key) holding read or verify in the namespace concerned; a refusal (401, 403) is audited."
              },
              "post": {
                "operationId": "registerAttestation",
                "summary": "Register an attestation (an in-toto statement in a DSSE envelope) under a digest-pinned name",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "201": {
                    "description": "Registered.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Registration"
                        }
                      }
                    },
                    "links": {
                      "GetArtifact": {
                        "operationId": "getArtifact",
                        "parameters": {
                          "name": "$response.body#/name"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request, name, namespace or stated provenance, several namespaces and none named, a bundle that does not verify for the name as signed by the caller, a bundle that is not an in-toto statement in a DSSE envelope or whose statement has no predicate type URI, or stated provenance that contradicts the certificate. Stable codes: `invalid-request`, `invalid-name`, `invalid-namespace`, `namespace-required`, `signature-invalid`, `invalid-attestation`, `invalid-provenance`, `provenance-conflict`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-name",
                                "invalid-namespace",
                                "namespace-required",
                                "signature-invalid",
                                "invalid-attestation",
                                "invalid-provenance",
                                "provenance-conflict"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller does not hold the sign scope in the namespace that owns the name, another namespace was named, or no namespace owns the name. Stable codes: `namespace-denied`, `name-unowned`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied",
                                "name-unowned"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "409": {
                    "description": "The name belongs to another namespace, a revocation already covers the attestation's source ref, or the bundle is registered under another name or as a signature. Stable codes: `namespace-conflict`, `revoked`, `already-registered`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-conflict",
                                "revoked",
                                "already-registered"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RegistrationRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 25165824,
                  "description": "At most 25165824 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "The bundle's statement must name the name's digest among its subjects and a predicate type URI. Its DSSE payload (predicate included, up to 16 MiB) is stored once under its SHA-256 beside the signature; the log entry holds only digests. An attestation is never registered as a signature, nor the reverse. A revocation of the name's source ref covers attestations as it covers signatures."
              }
            },
            "/api/signet/v1/revocations": {
              "post": {
                "operationId": "revokeSignatures",
                "summary": "Revoke every signature of a name made from a source ref",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "201": {
                    "description": "The revocation, signed and logged by the server, and the signatures it revoked.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Revocation"
                        }
                      }
                    },
                    "links": {
                      "GetArtifact": {
                        "operationId": "getArtifact",
                        "parameters": {
                          "name": "$response.body#/revocation/name"
                        }
                      }
                    }
                  },
                  "200": {
                    "description": "A revocation already covers the ref: that one stands, `revoked` is empty, nothing new is stated or logged.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Revocation"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request, name, ref or reason. Stable codes: `invalid-request`, `invalid-name`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-name"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller does not hold the revoke scope in the name's namespace. Stable codes: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "The name has no signature, or none made from the ref. Stable codes: `no-signature`, `nothing-to-revoke`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "no-signature",
                                "nothing-to-revoke"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RevocationRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 16384,
                  "description": "At most 16384 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/revocations/snapshot": {
              "post": {
                "operationId": "exportRevocations",
                "summary": "Every revocation, signed by the server, for offline verification",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The signed snapshot.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/SignedRevocationSnapshot"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds the verify scope in no namespace. Stable codes: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "The request body, if any, is ignored."
              }
            },
            "/api/signet/v1/artifact": {
              "get": {
                "operationId": "getArtifact",
                "summary": "A name's signatures (with bundles), attestations (without) and revocations",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The name; `namespace` is null and the lists empty when nothing is registered.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Artifact"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "`name` is missing or not a digest-pinned name. Stable codes: `invalid-query`, `invalid-name`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query",
                                "invalid-name"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds neither read nor verify in the namespace that owns the name (or in any namespace). Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "name",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 512,
                      "pattern": "^[!-~]+@sha256:[0-9a-f]{64}$",
                      "description": "An artifact name pinned by digest: `host[:port]/path@sha256:<64 lower-case hex>` (a tag before the digest is dropped). At most 512 bytes.",
                      "example": "registry.example.com/team/app@sha256:5e6ae9de58c1177bea615b4fcbfb2fd688e8c4b51c2e56b6a38e817833ec24a2"
                    }
                  }
                ],
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "Needs a credential (an OIDC identity token or an API key) holding read or verify in the namespace concerned; a refusal (401, 403) is audited."
              }
            },
            "/api/signet/v1/artifacts": {
              "get": {
                "operationId": "listSignatures",
                "summary": "Signatures, newest first, filtered and paged",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "A page of signatures (without bundles).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/SignaturePage"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A malformed `limit`, `since` or `status`. Stable codes: `invalid-query`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds neither read nor verify in any namespace, or in the namespace asked for. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "namespace",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  },
                  {
                    "name": "sourceRepository",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  },
                  {
                    "name": "sourceRepositoryRef",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  },
                  {
                    "name": "repository",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "A repository prefix. An empty value is read as absent."
                  },
                  {
                    "name": "since",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string",
                          "format": "date-time"
                        }
                      ]
                    },
                    "description": "RFC 3339. An empty value is read as absent."
                  },
                  {
                    "name": "status",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "enum": [
                            "active",
                            "revoked"
                          ]
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  },
                  {
                    "name": "limit",
                    "in": "query",
                    "description": "Default 100. An empty value is read as absent.",
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "integer",
                          "minimum": 1,
                          "maximum": 1000
                        }
                      ]
                    }
                  },
                  {
                    "name": "after",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "The `next` of the previous page. An empty value is read as absent."
                  }
                ],
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "Needs a credential (an OIDC identity token or an API key) holding read or verify in the namespace concerned; a refusal (401, 403) is audited. Only signatures of namespaces the caller may read are listed."
              }
            },
            "/api/signet/v1/trace": {
              "get": {
                "operationId": "trace",
                "summary": "Cloud to code (`name`) or code to cloud (`sourceRepositoryRef`)",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The signatures traced.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Trace"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Neither `name` nor `sourceRepositoryRef`, a malformed name, or a malformed `limit`. Stable codes: `invalid-query`, `invalid-name`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query",
                                "invalid-name"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds neither read nor verify in the namespace that owns the name (or in any namespace). Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "name",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string",
                          "minLength": 1,
                          "maxLength": 512,
                          "pattern": "^[!-~]+@sha256:[0-9a-f]{64}$",
                          "description": "An artifact name pinned by digest: `host[:port]/path@sha256:<64 lower-case hex>` (a tag before the digest is dropped). At most 512 bytes.",
                          "example": "registry.example.com/team/app@sha256:5e6ae9de58c1177bea615b4fcbfb2fd688e8c4b51c2e56b6a38e817833ec24a2"
                        }
                      ]
                    },
                    "description": "Wins over `sourceRepositoryRef`. An empty value is read as absent."
                  },
                  {
                    "name": "sourceRepositoryRef",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  },
                  {
                    "name": "sourceRepository",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  },
                  {
                    "name": "limit",
                    "in": "query",
                    "description": "Default 1000. An empty value is read as absent.",
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "integer",
                          "minimum": 1,
                          "maximum": 1000
                        }
                      ]
                    }
                  },
                  {
                    "name": "after",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "The `next` of the previous page. An empty value is read as absent."
                  }
                ],
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "Needs a credential (an OIDC identity token or an API key) holding read or verify in the namespace concerned; a refusal (401, 403) is audited. By ref, only signatures of namespaces the caller may read are listed, at most 1,000 a page (`after` = the last id of the previous page, `next` the id to pass)."
              }
            },
            "/api/signet/v1/verify": {
              "post": {
                "operationId": "verifyByName",
                "summary": "Verify a name with this instance's trust",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The outcome, whatever it is, and each signature's checks; the verification is audited.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/VerifyResult"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request or name, or a request that constrains no signer. Stable codes: `invalid-request`, `invalid-name`, `signer-unconstrained`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-name",
                                "signer-unconstrained"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds neither read nor verify in the namespace that owns the name (or in any namespace). Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/VerifyRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 16384,
                  "description": "At most 16384 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "Needs a credential (an OIDC identity token or an API key) holding read or verify in the namespace concerned; a refusal (401, 403) is audited."
              }
            },
            "/api/signet/v1/admit": {
              "post": {
                "operationId": "admit",
                "summary": "May this digest-pinned artifact run in this environment?",
                "description": "The deploy gate: the one policy engine over what the store holds for the name (signatures, attestations, revocations) and the policies in force: every baseline policy covering the name AND the most specific policy for the environment. A refusal is a 200 with `allowed: false` and its stable code; the decision is audited and fails closed past an internal deadline of 5 s (`deadline-exceeded`). Codes: `admitted`, `admitted-with-warnings`, `admitted-by-exception`, `no-signature`, `signature-invalid`, `untrusted-publisher`, `revoked`, `attestation-missing`, `attestation-wrong-type`, `attestation-untrusted-signer`, `attestation-subject-mismatch`, `attestation-invalid`, `attestation-revoked`, `attestation-contradicts-certificate`, `attestation-condition-failed`, `exception-expired`, `no-policy`, `unknown-environment`, `not-pinned`, `deadline-exceeded`, `invalid-name`, `not-exported`, `verdict-expired` (the last three on batch and offline paths).\n\nNeeds a credential (an OIDC identity token or an API key) holding verify in the namespace concerned; a refusal (401, 403) is audited.",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The decision.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Decision"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request, an environment that is not a name, or a digest-pinned name that does not parse. Stable codes: `invalid-request`, `invalid-name`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-name"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds the verify scope in no namespace, or not in the namespace that owns the subject. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/AdmitRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 16384,
                  "description": "At most 16384 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/admission": {
              "post": {
                "operationId": "admissionReview",
                "summary": "Kubernetes validating webhook (AdmissionReview v1)",
                "description": "Every container, init container and ephemeral container image of the Pod or workload (Pod, PodTemplate, Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob) must be digest-pinned and admitted by the gate; the answer names each refused image and why. Other kinds are refused, never admitted; DELETE and CONNECT are admitted (nothing starts).\n\nNeeds a credential (an OIDC identity token or an API key) holding verify in the namespace concerned; a refusal (401, 403) is audited.",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The review with its answer.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AdmissionReview"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Not a review of the supported version, or no `environment` query. Stable codes: `invalid-request`, `invalid-query`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller (the API server's webhook credential) holds the verify scope in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 3145728,
                  "description": "At most 3145728 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "parameters": [
                  {
                    "name": "environment",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 63,
                      "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                      "description": "An environment name as policies write it."
                    }
                  }
                ]
              }
            },
            "/api/signet/v1/imagereview": {
              "post": {
                "operationId": "imageReview",
                "summary": "Kubernetes ImagePolicyWebhook (ImageReview v1alpha1)",
                "description": "Every image of `spec.containers` must be digest-pinned and admitted by the gate.\n\nNeeds a credential (an OIDC identity token or an API key) holding verify in the namespace concerned; a refusal (401, 403) is audited.",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The review with its answer.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ImageReview"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Not a review of the supported version, or no `environment` query. Stable codes: `invalid-request`, `invalid-query`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller (the API server's webhook credential) holds the verify scope in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 3145728,
                  "description": "At most 3145728 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "parameters": [
                  {
                    "name": "environment",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 63,
                      "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                      "description": "An environment name as policies write it."
                    }
                  }
                ]
              }
            },
            "/api/signet/v1/policies": {
              "get": {
                "operationId": "listPolicies",
                "summary": "The policies in force",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The version in force of each policy, by name.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "additionalProperties": false,
                          "required": [
                            "policies"
                          ],
                          "properties": {
                            "policies": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/Policy"
                              }
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds none of read, verify and admin in any namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "Needs a credential (an OIDC identity token or an API key) holding read, verify or admin; a refusal (401, 403) is audited. Organisation-wide policies, and those of namespaces where the caller holds read, verify or admin."
              },
              "post": {
                "operationId": "applyPolicy",
                "summary": "Apply a policy as the next version of its name",
                "description": "The body is the policy document (README, \"Policies\"), read strictly: an error names its line. A policy scoped to a namespace needs the admin scope there; one without a namespace needs it in every namespace the configuration names. The same document as the version in force is not a new version (200). A new version is signed by the server over its canonical form and logged before it is stored (identity `<server>/signet/policies`, issuer `<server>`; the answer's `logIndex`), so every policy that was ever in force can be found in the transparency log by its digest.",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "201": {
                    "description": "Applied as a new version.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Policy"
                        }
                      }
                    }
                  },
                  "200": {
                    "description": "The version in force already had this document.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Policy"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A malformed policy (the message names its line). Stable codes: `invalid-policy`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-policy"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller does not hold the admin scope where the policy applies. Stable codes: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "description": "A policy document: apiVersion signet/v1, kind Policy."
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 1048576,
                  "description": "At most 1048576 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/audit": {
              "get": {
                "operationId": "getAuditEvents",
                "summary": "The audit trail, oldest first",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "Events since `since`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AuditEvents"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A malformed `since` or `limit`. Stable codes: `invalid-query`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds the audit scope in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "since",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string",
                          "format": "date-time"
                        }
                      ]
                    },
                    "description": "RFC 3339; default the epoch. An empty value is read as absent."
                  },
                  {
                    "name": "limit",
                    "in": "query",
                    "description": "Default 100. An empty value is read as absent.",
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "integer",
                          "minimum": 1,
                          "maximum": 1000
                        }
                      ]
                    }
                  }
                ],
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "Needs a credential (an OIDC identity token or an API key) holding audit; a refusal (401, 403) is audited. The events of the namespaces where the caller holds audit; every event, instance-wide ones included, for a caller holding audit in every namespace the configuration declares."
              }
            },
            "/ui": {
              "get": {
                "operationId": "uiRoot",
                "summary": "The web UI",
                "tags": [
                  "Web UI"
                ],
                "responses": {
                  "303": {
                    "description": "To `/ui/artifacts`.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "const": "/ui/artifacts"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/ui/artifacts": {
              "get": {
                "operationId": "uiArtifacts",
                "summary": "Artifacts, searched and filtered",
                "tags": [
                  "Web UI"
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/HTML"
                  },
                  "303": {
                    "description": "Without a session (the `signet_session` cookie `/ui/callback` sets; or with an expired one): to `/ui/login?next=…`, which signs in and comes back, whatever else the request holds. `q` is a digest-pinned name: to its page.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The session's identity may not read this (a namespace it does not hold `read` or `verify` in, or `audit` for the trail); audited.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "q",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "A name (redirects to its page) or a repository prefix. An empty value is read as absent."
                  },
                  {
                    "name": "namespace",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  },
                  {
                    "name": "ref",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  },
                  {
                    "name": "status",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "`active` or `revoked`; other values are ignored. An empty value is read as absent."
                  },
                  {
                    "name": "after",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  }
                ],
                "security": [],
                "description": "Needs a signed-in session whose identity holds read or verify in some namespace; it shows only what that identity may read."
              }
            },
            "/ui/artifact": {
              "get": {
                "operationId": "uiArtifact",
                "summary": "An artifact's page: each signature re-verified",
                "tags": [
                  "Web UI"
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/HTML"
                  },
                  "303": {
                    "description": "Without a session (the `signet_session` cookie `/ui/callback` sets; or with an expired one): to `/ui/login?next=…`, which signs in and comes back, whatever else the request holds.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "`name` is missing or not a digest-pinned name.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The session's identity may not read this (a namespace it does not hold `read` or `verify` in, or `audit` for the trail); audited.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "No signature for the name.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "name",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    }
                  }
                ],
                "security": [],
                "description": "Needs a signed-in session whose identity holds read or verify in some namespace; it shows only what that identity may read."
              }
            },
            "/ui/log": {
              "get": {
                "operationId": "uiLog",
                "summary": "The log: latest checkpoint, an entry by index",
                "tags": [
                  "Web UI"
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/HTML"
                  },
                  "303": {
                    "description": "Without a session (the `signet_session` cookie `/ui/callback` sets; or with an expired one): to `/ui/login?next=…`, which signs in and comes back, whatever else the request holds.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The session's identity may not read this (a namespace it does not hold `read` or `verify` in, or `audit` for the trail); audited.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "No entry at `index`.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "index",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    },
                    "description": "An empty value is read as absent."
                  }
                ],
                "security": [],
                "description": "Needs a signed-in session whose identity holds read or verify in some namespace; it shows only what that identity may read."
              }
            },
            "/ui/audit": {
              "get": {
                "operationId": "uiAudit",
                "summary": "The latest 200 audit events",
                "tags": [
                  "Web UI"
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/HTML"
                  },
                  "303": {
                    "description": "Without a session (the `signet_session` cookie `/ui/callback` sets; or with an expired one): to `/ui/login?next=…`, which signs in and comes back, whatever else the request holds.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The session's identity may not read this (a namespace it does not hold `read` or `verify` in, or `audit` for the trail); audited.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": [],
                "description": "Needs a signed-in session whose identity holds audit in some namespace; it shows only what that identity may read."
              }
            },
            "/api/signet/v1/verify:batch": {
              "post": {
                "operationId": "verifyBatch",
                "summary": "May each of these digest-pinned artifacts run in this environment?",
                "description": "The deploy gate for a release: each subject decided as `POST /api/signet/v1/admit` decides it, in order, every one whatever the others' outcomes, each audited. A subject that is not a name at all is that entry's refusal (`invalid-name`), not the batch's. Codes as `/admit`, and `invalid-name`.\n\nNeeds a credential (an OIDC identity token or an API key) holding verify in the namespace concerned; a refusal (401, 403) is audited.",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "Each decision, in the subjects' order, and the counts.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/BatchDecision"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request, an environment that is not a name, or not 1 to 1000 subjects. Stable codes: `invalid-request`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds the verify scope in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/VerifyBatchRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 524288,
                  "description": "At most 524288 bytes (413 `body-too-large` beyond)."
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/gate/export": {
              "post": {
                "operationId": "exportGate",
                "summary": "The gate for one environment, signed, for deciding offline",
                "tags": [
                  "Artifacts"
                ],
                "responses": {
                  "200": {
                    "description": "The signed export.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/SignedGateExport"
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds the verify scope in no namespace. Stable codes: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request, an environment that is not a name or that no policy names, `validForSeconds` outside 60 to 604800, more than 10,000 names, or a store with more names than one export carries. Stable codes: `invalid-request`, `unknown-environment`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "unknown-environment"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ],
                "description": "A `GateExport` (`application/vnd.signet.gate-export+json;version=0.1`, base64 in `export`): the server's URL, the environment, its time and `expiresAt`, the policies in force (each document as applied), the trusted root, every revocation, and a verdict (`subject`, `allowed`, `code`, `message`, `policyDigest`, `expiresAt`) on each given name, or on every name with an unrevoked signature (at most 10,000); `bundle` is the gate's signature over the export's exact bytes (identity `<server>/signet/gate`, issuer `<server>`), logged. `signet gate check --offline` verifies it with the client's trust and answers from it: an admission only while valid, a subject without a verdict refused (`not-exported`), an expired admission refused (`verdict-expired`). Audited.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/GateExportRequest"
                      }
                    }
                  },
                  "x-signet-max-body-bytes": 2097152,
                  "description": "At most 2097152 bytes (413 `body-too-large` beyond)."
                }
              }
            },
            "/": {
              "get": {
                "operationId": "root",
                "summary": "Leads to the web UI",
                "tags": [
                  "Web UI"
                ],
                "responses": {
                  "303": {
                    "description": "To `/ui/artifacts`.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "const": "/ui/artifacts"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/ui/login": {
              "get": {
                "operationId": "uiSignIn",
                "summary": "Sign in to the web UI",
                "description": "Starts an OpenID Connect authorization code sign-in with PKCE (S256) at the configured issuer (with `--dev`, the development identity provider): a short-lived HTTP-only cookie names the sign-in, whose state, nonce and verifier the server keeps.",
                "tags": [
                  "Web UI"
                ],
                "parameters": [
                  {
                    "name": "next",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    },
                    "description": "The UI path to return to; anything but a path under `/ui` leads to `/ui/artifacts`."
                  }
                ],
                "responses": {
                  "303": {
                    "description": "To the issuer's authorization endpoint.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "Sign-in is not configured, or the issuer cannot be discovered.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/ui/callback": {
              "get": {
                "operationId": "uiSignInCallback",
                "summary": "The issuer's answer to a sign-in",
                "description": "Checks that the answer belongs to this browser's sign-in (its cookie, the echoed `state`), redeems `code` with the PKCE verifier, verifies the ID token (signature, issuer, audience = the client, expiry, `nonce`), and starts a session if the identity may read some namespace (403 otherwise, audited).",
                "tags": [
                  "Web UI"
                ],
                "parameters": [
                  {
                    "name": "code",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "state",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "error",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "error_description",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "303": {
                    "description": "Signed in: to the page the sign-in began from, with the session cookie.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "No sign-in of this browser, another state, or one expired or already completed.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "The issuer or the user refused, or the ID token did not verify.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The identity may read no namespace here.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "The issuer could not be reached.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/ui/logout": {
              "post": {
                "operationId": "uiSignOut",
                "summary": "Sign out of the web UI",
                "description": "Ends the session named by its cookie; the form must carry that session's CSRF token.",
                "tags": [
                  "Web UI"
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "type": "object",
                        "properties": {
                          "csrf": {
                            "type": "string"
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "303": {
                    "description": "To `/ui/signed-out`, the session cookie cleared.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "const": "/ui/signed-out"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A malformed form.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The form's CSRF token is not the session's (`csrf-mismatch`).",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "A form larger than 16 KiB.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "415": {
                    "description": "Not a form.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "security": []
              }
            },
            "/ui/signed-out": {
              "get": {
                "operationId": "uiSignedOut",
                "summary": "Signed out",
                "tags": [
                  "Web UI"
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/HTML"
                  }
                },
                "security": []
              }
            },
            "/dev-idp/authorize": {
              "get": {
                "operationId": "developmentAuthorize",
                "summary": "The development identity provider's login page (`--dev` only)",
                "description": "For this server's web UI only (client `signet-ui`, redirect `<server>/ui/callback`, S256 PKCE, a state and a nonce): anyone may name any identity.",
                "tags": [
                  "Development identity provider"
                ],
                "parameters": [
                  {
                    "name": "response_type",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "client_id",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "redirect_uri",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "state",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "nonce",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "code_challenge",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "code_challenge_method",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "scope",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/HTML"
                  },
                  "400": {
                    "description": "Not a sign-in of this server's UI (`invalid-request`).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                },
                "security": []
              },
              "post": {
                "operationId": "developmentAuthorizeSubmit",
                "summary": "Sign in, or deny, at the development identity provider (`--dev` only)",
                "tags": [
                  "Development identity provider"
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "type": "object",
                        "properties": {
                          "subject": {
                            "type": "string"
                          },
                          "action": {
                            "enum": [
                              "allow",
                              "deny"
                            ]
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "303": {
                    "description": "To the UI's callback with a code (valid one minute, once) and the state, or with `error=access_denied`.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Not a sign-in of this server's UI, or no subject (`invalid-request`).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  }
                },
                "security": []
              }
            },
            "/dev-idp/token": {
              "post": {
                "operationId": "developmentToken",
                "summary": "Redeem a code at the development identity provider (`--dev` only)",
                "description": "RFC 6749 §4.1.3 with PKCE (RFC 7636): an ID token for the signed-in identity, audience the client, carrying the sign-in's nonce.",
                "tags": [
                  "Development identity provider"
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "type": "object",
                        "properties": {
                          "grant_type": {
                            "type": "string"
                          },
                          "code": {
                            "type": "string"
                          },
                          "redirect_uri": {
                            "type": "string"
                          },
                          "client_id": {
                            "type": "string"
                          },
                          "code_verifier": {
                            "type": "string"
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The tokens.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "access_token",
                            "token_type",
                            "expires_in",
                            "id_token"
                          ],
                          "properties": {
                            "access_token": {
                              "type": "string"
                            },
                            "token_type": {
                              "const": "Bearer"
                            },
                            "expires_in": {
                              "type": "integer"
                            },
                            "id_token": {
                              "type": "string"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "RFC 6749 §5.2 (`invalid_grant`, `invalid_request`, `unsupported_grant_type`), or a malformed form (`invalid-request`).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "oneOf": [
                            {
                              "type": "object",
                              "required": [
                                "error",
                                "error_description"
                              ],
                              "properties": {
                                "error": {
                                  "type": "string"
                                },
                                "error_description": {
                                  "type": "string"
                                }
                              },
                              "additionalProperties": false
                            },
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ]
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  }
                },
                "security": []
              }
            },
            "/api/signet/v1/deployments": {
              "post": {
                "operationId": "recordDeployment",
                "summary": "Record that an artifact runs in an environment",
                "description": "For places without a gate (`signet deploy record`): the deployment inventory gains (or refreshes) the row of this environment and name, resting on the name's latest unrevoked signature. The gate adds every artifact it admits itself. Needs a credential holding verify in the name's namespace; audited.",
                "tags": [
                  "Compliance"
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "name",
                          "environment"
                        ],
                        "properties": {
                          "name": {
                            "type": "string"
                          },
                          "environment": {
                            "type": "string"
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The inventory's row.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Deployment"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A malformed body, name or environment.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-name"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds verify in no namespace, or not in the name's. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "No namespace owns the name (nothing was ever signed under it).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "no-signature"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/compliance/inventory": {
              "get": {
                "operationId": "complianceInventory",
                "summary": "What runs where: every artifact the gate admitted or a deployment recorded, by environment.",
                "description": "Over the namespaces where the caller holds audit (every one, for a caller auditing every declared namespace). Needs a credential holding audit; a refusal (401, 403) is audited.",
                "tags": [
                  "Compliance"
                ],
                "parameters": [
                  {
                    "name": "environment",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    }
                  },
                  {
                    "name": "format",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "enum": [
                        "",
                        "json",
                        "csv"
                      ]
                    },
                    "description": "`json` (default) or `csv`."
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The rows, each with its log entry's proof.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ComplianceAnswer"
                        }
                      },
                      "text/csv": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A missing or malformed parameter.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds audit in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/compliance/missing-attestation": {
              "get": {
                "operationId": "complianceMissingAttestation",
                "summary": "Artifacts running in an environment without an unrevoked attestation of a type.",
                "description": "Over the namespaces where the caller holds audit (every one, for a caller auditing every declared namespace). Needs a credential holding audit; a refusal (401, 403) is audited.",
                "tags": [
                  "Compliance"
                ],
                "parameters": [
                  {
                    "name": "environment",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "type",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string"
                    },
                    "description": "A short name (`slsa-provenance`) or a predicate type URI."
                  },
                  {
                    "name": "format",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "enum": [
                        "",
                        "json",
                        "csv"
                      ]
                    },
                    "description": "`json` (default) or `csv`."
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The rows, each with its log entry's proof.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ComplianceAnswer"
                        }
                      },
                      "text/csv": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A missing or malformed parameter.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds audit in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/compliance/revoked-running": {
              "get": {
                "operationId": "complianceRevokedRunning",
                "summary": "Running artifacts whose signature has since been revoked (each row rests on the revocation's log entry).",
                "description": "Over the namespaces where the caller holds audit (every one, for a caller auditing every declared namespace). Needs a credential holding audit; a refusal (401, 403) is audited.",
                "tags": [
                  "Compliance"
                ],
                "parameters": [
                  {
                    "name": "environment",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    }
                  },
                  {
                    "name": "format",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "enum": [
                        "",
                        "json",
                        "csv"
                      ]
                    },
                    "description": "`json` (default) or `csv`."
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The rows, each with its log entry's proof.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ComplianceAnswer"
                        }
                      },
                      "text/csv": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A missing or malformed parameter.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds audit in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/compliance/built-from": {
              "get": {
                "operationId": "complianceBuiltFrom",
                "summary": "Everything built from a source ref, and where each runs.",
                "description": "Over the namespaces where the caller holds audit (every one, for a caller auditing every declared namespace). Needs a credential holding audit; a refusal (401, 403) is audited.",
                "tags": [
                  "Compliance"
                ],
                "parameters": [
                  {
                    "name": "sourceRepositoryRef",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "sourceRepository",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    }
                  },
                  {
                    "name": "format",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "enum": [
                        "",
                        "json",
                        "csv"
                      ]
                    },
                    "description": "`json` (default) or `csv`."
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The rows, each with its log entry's proof.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ComplianceAnswer"
                        }
                      },
                      "text/csv": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A missing or malformed parameter.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds audit in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/compliance/signed-by": {
              "get": {
                "operationId": "complianceSignedBy",
                "summary": "Everything an identity signed, and where each runs.",
                "description": "Over the namespaces where the caller holds audit (every one, for a caller auditing every declared namespace). Needs a credential holding audit; a refusal (401, 403) is audited.",
                "tags": [
                  "Compliance"
                ],
                "parameters": [
                  {
                    "name": "identity",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "format",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "enum": [
                        "",
                        "json",
                        "csv"
                      ]
                    },
                    "description": "`json` (default) or `csv`."
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The rows, each with its log entry's proof.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ComplianceAnswer"
                        }
                      },
                      "text/csv": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A missing or malformed parameter.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds audit in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/compliance/expiring-exceptions": {
              "get": {
                "operationId": "complianceExpiringExceptions",
                "summary": "Policy exceptions expiring within a window (each row rests on the policy's log entry).",
                "description": "Over the namespaces where the caller holds audit (every one, for a caller auditing every declared namespace). Needs a credential holding audit; a refusal (401, 403) is audited.",
                "tags": [
                  "Compliance"
                ],
                "parameters": [
                  {
                    "name": "withinSeconds",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "integer",
                          "minimum": 1,
                          "maximum": 31536000
                        }
                      ]
                    },
                    "description": "Default a week."
                  },
                  {
                    "name": "format",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "enum": [
                        "",
                        "json",
                        "csv"
                      ]
                    },
                    "description": "`json` (default) or `csv`."
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The rows, each with its log entry's proof.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ComplianceAnswer"
                        }
                      },
                      "text/csv": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A missing or malformed parameter.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller holds audit in no namespace. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/ui/compliance": {
              "get": {
                "operationId": "uiCompliance",
                "summary": "Compliance queries",
                "tags": [
                  "Web UI"
                ],
                "responses": {
                  "200": {
                    "description": "The page, or with `format` the answer as CSV or JSON.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      },
                      "text/csv": {
                        "schema": {
                          "type": "string"
                        }
                      },
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ComplianceAnswer"
                        }
                      }
                    }
                  },
                  "303": {
                    "description": "Without a session (the `signet_session` cookie `/ui/callback` sets; or with an expired one): to `/ui/login?next=…`, which signs in and comes back, whatever else the request holds.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The session's identity may not read this (a namespace it does not hold `read` or `verify` in, or `audit` for the trail); audited.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "A malformed parameter with `format`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                },
                "security": [],
                "description": "Needs a signed-in session whose identity holds audit in some namespace; it shows only what that identity may read.",
                "parameters": [
                  {
                    "name": "query",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "environment",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    }
                  },
                  {
                    "name": "type",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    }
                  },
                  {
                    "name": "sourceRepositoryRef",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    }
                  },
                  {
                    "name": "identity",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "anyOf": [
                        {
                          "const": ""
                        },
                        {
                          "type": "string"
                        }
                      ]
                    }
                  },
                  {
                    "name": "format",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    },
                    "description": "`csv` or `json`: the answer as the API gives it."
                  }
                ]
              }
            },
            "/ui/trace": {
              "get": {
                "operationId": "uiTrace",
                "summary": "Code to cloud and cloud to code, as a picture",
                "tags": [
                  "Web UI"
                ],
                "responses": {
                  "200": {
                    "$ref": "#/components/responses/HTML"
                  },
                  "303": {
                    "description": "Without a session (the `signet_session` cookie `/ui/callback` sets; or with an expired one): to `/ui/login?next=…`, which signs in and comes back, whatever else the request holds.",
                    "headers": {
                      "Location": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Neither `name` nor `sourceRepositoryRef` (a page), or a malformed name.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      },
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The session's identity may not read this (a namespace it does not hold `read` or `verify` in, or `audit` for the trail); audited.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                },
                "parameters": [
                  {
                    "name": "name",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "sourceRepositoryRef",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "security": [],
                "description": "Repository → commit → workflow run → artifacts → environments where each runs, drawn on the server as SVG, for an artifact (`name`) or a source ref (`sourceRepositoryRef`), over the namespaces the session may read. Needs a signed-in session whose identity holds read or verify in some namespace."
              }
            },
            "/api/signet/v1/releases": {
              "post": {
                "operationId": "requestRelease",
                "summary": "Open a release request under the quorum of the policy for the environment",
                "tags": [
                  "Releases"
                ],
                "description": "Needs a credential holding sign in the namespace owning the name. The server states the request (the quorum in force, the requester, its lifetime), signs it as `<server>/signet/release`, logs it and registers it as an attestation of the name. A break-glass request is audited (`release.break-glass`) and alerted (`alert.raised`, `signet_alerts_total{kind=\"break-glass\"}`). A refusal (401, 403) is audited.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/ReleaseRequestBody"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Opened.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ReleaseRequest"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request, name, environment or reason, or break glass without a reason. Stable codes: `invalid-request`, `invalid-name`, `malformed-request`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-name",
                                "malformed-request"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller does not hold sign in the namespace owning the name, or is an API key (a release request comes from a person's identity, whom the quorum tells apart from its approvers). Stable codes: `namespace-denied`, `identity-required`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied",
                                "identity-required"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "No signature is registered for the name. Stable code: `no-signature`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "no-signature"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "409": {
                    "description": "No policy for the environment covering the name requires a quorum, or its quorum allows no break glass. Stable codes: `no-quorum`, `no-break-glass`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "no-quorum",
                                "no-break-glass"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              },
              "get": {
                "operationId": "getReleases",
                "summary": "A name's release requests, each with its tally: status, who approved, what is missing",
                "tags": [
                  "Releases"
                ],
                "description": "Needs a credential holding read or verify in the namespace owning the name; a refusal (401, 403) is audited. Every tally is recounted from the approval bundles by the one counting rule.",
                "parameters": [
                  {
                    "name": "name",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 512,
                      "pattern": "^[!-~]+@sha256:[0-9a-f]{64}$",
                      "description": "An artifact name pinned by digest: `host[:port]/path@sha256:<64 lower-case hex>` (a tag before the digest is dropped). At most 512 bytes.",
                      "example": "registry.example.com/team/app@sha256:5e6ae9de58c1177bea615b4fcbfb2fd688e8c4b51c2e56b6a38e817833ec24a2"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The requests, newest first.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ReleaseList"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "`name` is missing or not a digest-pinned name. Stable codes: `invalid-query`, `invalid-name`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-query",
                                "invalid-name"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller may not read the namespace owning the name. Stable code: `namespace-denied`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "No signature is registered for the name. Stable code: `no-signature`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "no-signature"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            },
            "/api/signet/v1/releases/approvals": {
              "post": {
                "operationId": "approveRelease",
                "summary": "Hand in an approval (or rejection) of a release request",
                "tags": [
                  "Releases"
                ],
                "description": "Needs a credential holding read, verify or sign in the namespace owning the name. The approval counts only if its bundle verifies over the name's digest, names this request, was made within the request's lifetime, by a member of the role it names (in the quorum the request recorded and in the one in force), who is not the requester and not already counted by identity or by key; otherwise nothing is written. The approval that completes the quorum makes the server state a quorum attestation. Audited (`release.approve`, `release.reject`, `release.quorum-met`).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/ApprovalRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Counted.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ApprovalResult"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed request, reference or bundle, or a bundle that is not an in-toto statement in a DSSE envelope with a log entry. Stable codes: `invalid-request`, `invalid-name`, `invalid-approval`, `malformed-request`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "invalid-request",
                                "invalid-name",
                                "invalid-approval",
                                "malformed-request"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "401": {
                    "$ref": "#/components/responses/Credential"
                  },
                  "403": {
                    "description": "The caller may not read the namespace owning the name, or the approval does not count (the reason says which rule). Stable codes: `namespace-denied`, `approval-refused`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "namespace-denied",
                                "approval-refused"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "No such release request of the name (a forged or mistyped id). Stable code: `unknown-request`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "unknown-request"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "409": {
                    "description": "The request expired or was rejected, or the approval is registered already. Stable codes: `request-expired`, `request-rejected`, `already-registered`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "request-expired",
                                "request-rejected",
                                "already-registered"
                              ]
                            }
                          }
                        }
                      }
                    }
                  },
                  "413": {
                    "$ref": "#/components/responses/BodyTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/UnsupportedMediaType"
                  },
                  "503": {
                    "description": "The issuer's key set could not be fetched. Stable codes: `key-set-unavailable`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/Error"
                            }
                          ],
                          "properties": {
                            "error": {
                              "enum": [
                                "key-set-unavailable"
                              ]
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "security": [
                  {
                    "oidcToken": []
                  },
                  {
                    "apiKey": []
                  }
                ]
              }
            }
          },
          "components": {
            "schemas": {
              "Error": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "code",
                  "error",
                  "message"
                ],
                "description": "Every error answer: the HTTP status, a stable machine-readable code, and a reason that says what was expected and what was found.",
                "properties": {
                  "code": {
                    "type": "integer",
                    "minimum": 400,
                    "maximum": 599,
                    "description": "The HTTP status, repeated."
                  },
                  "error": {
                    "type": "string",
                    "pattern": "^[a-z0-9-]+$",
                    "description": "The stable code."
                  },
                  "message": {
                    "type": "string"
                  }
                }
              },
              "SigningCertificateRequest": {
                "type": "object",
                "additionalProperties": false,
                "description": "Fulcio v2 `CreateSigningCertificateRequest` (fulcio.proto): exactly one of `certificateSigningRequest` (base64 of a PEM PKCS#10 CSR; its self-signature proves possession) and `publicKeyRequest` (a key and a signature over the token's `email`, else `sub`). Keys: ECDSA P-256, P-384 or P-521.",
                "properties": {
                  "credentials": {
                    "anyOf": [
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                          "oidcIdentityToken": {
                            "anyOf": [
                              {
                                "type": "string",
                                "maxLength": 16384
                              },
                              {
                                "type": "null"
                              }
                            ]
                          }
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "certificateSigningRequest": {
                    "anyOf": [
                      {
                        "type": "string",
                        "contentEncoding": "base64",
                        "description": "Standard base64 (padding optional)."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "publicKeyRequest": {
                    "anyOf": [
                      {
                        "$ref": "#/components/schemas/PublicKeyRequest"
                      },
                      {
                        "type": "null"
                      }
                    ]
                  }
                },
                "oneOf": [
                  {
                    "required": [
                      "certificateSigningRequest"
                    ],
                    "properties": {
                      "certificateSigningRequest": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  },
                  {
                    "required": [
                      "publicKeyRequest"
                    ],
                    "properties": {
                      "publicKeyRequest": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  }
                ]
              },
              "PublicKeyRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "publicKey",
                  "proofOfPossession"
                ],
                "properties": {
                  "publicKey": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "content"
                    ],
                    "properties": {
                      "algorithm": {
                        "anyOf": [
                          {
                            "type": "string",
                            "description": "Ignored (Fulcio's gateway discards it too)."
                          },
                          {
                            "type": "null"
                          }
                        ]
                      },
                      "content": {
                        "type": "string",
                        "description": "A PEM `PUBLIC KEY`, or base64 DER SubjectPublicKeyInfo."
                      }
                    }
                  },
                  "proofOfPossession": {
                    "type": "string",
                    "contentEncoding": "base64",
                    "description": "Standard base64 (padding optional)."
                  }
                }
              },
              "SigningCertificate": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "signedCertificateEmbeddedSct"
                ],
                "description": "Fulcio v2 `SigningCertificate` with the SCT embedded in the leaf.",
                "properties": {
                  "signedCertificateEmbeddedSct": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "chain"
                    ],
                    "properties": {
                      "chain": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "certificates"
                        ],
                        "properties": {
                          "certificates": {
                            "type": "array",
                            "minItems": 2,
                            "items": {
                              "type": "string",
                              "pattern": "^-----BEGIN CERTIFICATE-----\\n[A-Za-z0-9+/=\\n]+-----END CERTIFICATE-----\\n$"
                            },
                            "description": "PEM, leaf first, then the intermediate and the root."
                          }
                        }
                      }
                    }
                  }
                }
              },
              "TrustBundle": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "chains"
                ],
                "properties": {
                  "chains": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "certificates"
                      ],
                      "properties": {
                        "certificates": {
                          "type": "array",
                          "minItems": 1,
                          "items": {
                            "type": "string",
                            "pattern": "^-----BEGIN CERTIFICATE-----\\n[A-Za-z0-9+/=\\n]+-----END CERTIFICATE-----\\n$"
                          }
                        }
                      }
                    }
                  }
                }
              },
              "HashedRekordV001": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "kind",
                  "apiVersion",
                  "spec"
                ],
                "properties": {
                  "kind": {
                    "const": "hashedrekord"
                  },
                  "apiVersion": {
                    "const": "0.0.1"
                  },
                  "spec": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "signature",
                      "data"
                    ],
                    "properties": {
                      "signature": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "content",
                          "publicKey"
                        ],
                        "properties": {
                          "content": {
                            "type": "string",
                            "contentEncoding": "base64",
                            "description": "Standard base64 (padding optional)."
                          },
                          "publicKey": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": [
                              "content"
                            ],
                            "properties": {
                              "content": {
                                "type": "string",
                                "contentEncoding": "base64",
                                "description": "Base64 of a PEM certificate or public key."
                              }
                            }
                          }
                        }
                      },
                      "data": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "hash"
                        ],
                        "properties": {
                          "hash": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": [
                              "algorithm",
                              "value"
                            ],
                            "properties": {
                              "algorithm": {
                                "enum": [
                                  "sha256",
                                  "sha384",
                                  "sha512"
                                ]
                              },
                              "value": {
                                "type": "string",
                                "pattern": "^([0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$"
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              },
              "DSSEV001": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "kind",
                  "apiVersion",
                  "spec"
                ],
                "properties": {
                  "kind": {
                    "const": "dsse"
                  },
                  "apiVersion": {
                    "const": "0.0.1"
                  },
                  "spec": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "proposedContent"
                    ],
                    "properties": {
                      "proposedContent": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "envelope",
                          "verifiers"
                        ],
                        "properties": {
                          "envelope": {
                            "type": "string",
                            "description": "The DSSE envelope's JSON, as a string."
                          },
                          "verifiers": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                              "type": "string",
                              "contentEncoding": "base64",
                              "description": "Base64 of a PEM certificate or public key."
                            }
                          }
                        }
                      },
                      "signatures": {
                        "type": "null"
                      },
                      "envelopeHash": {
                        "type": "null"
                      },
                      "payloadHash": {
                        "type": "null"
                      }
                    }
                  }
                }
              },
              "ProposedEntry": {
                "description": "A Rekor v1 `ProposedEntry`: hashedrekord 0.0.1 or dsse 0.0.1. Every signature must verify with the key or certificate it carries.",
                "oneOf": [
                  {
                    "$ref": "#/components/schemas/HashedRekordV001"
                  },
                  {
                    "$ref": "#/components/schemas/DSSEV001"
                  }
                ]
              },
              "LogEntry": {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "description": "A Rekor v1 `LogEntry`: one member, keyed by the 80-hex entry ID (16-hex tree ID, then the 64-hex leaf hash).",
                "propertyNames": {
                  "pattern": "^[0-9a-f]{80}$"
                },
                "additionalProperties": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "body",
                    "integratedTime",
                    "logID",
                    "logIndex",
                    "verification"
                  ],
                  "properties": {
                    "body": {
                      "type": "string",
                      "contentEncoding": "base64",
                      "pattern": "^[A-Za-z0-9+/]*={0,2}$",
                      "description": "The canonical entry body (RFC 8785 JSON)."
                    },
                    "integratedTime": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "logID": {
                      "type": "string",
                      "pattern": "^[0-9a-f]{64}$",
                      "description": "Hex SHA-256 of the log key's SubjectPublicKeyInfo."
                    },
                    "logIndex": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "verification": {
                      "type": "object",
                      "additionalProperties": false,
                      "properties": {
                        "inclusionProof": {
                          "type": "object",
                          "additionalProperties": false,
                          "required": [
                            "hashes",
                            "logIndex",
                            "rootHash",
                            "treeSize"
                          ],
                          "properties": {
                            "hashes": {
                              "type": "array",
                              "items": {
                                "type": "string",
                                "pattern": "^[0-9a-f]{64}$"
                              }
                            },
                            "logIndex": {
                              "type": "integer",
                              "minimum": 0
                            },
                            "rootHash": {
                              "type": "string",
                              "pattern": "^[0-9a-f]{64}$"
                            },
                            "treeSize": {
                              "type": "integer",
                              "minimum": 1
                            },
                            "checkpoint": {
                              "type": "string",
                              "description": "The signed checkpoint (C2SP signed note)."
                            }
                          }
                        },
                        "signedEntryTimestamp": {
                          "type": "string",
                          "contentEncoding": "base64",
                          "pattern": "^[A-Za-z0-9+/]*={0,2}$",
                          "description": "The SET: the log's signature over the entry's body, integratedTime, logID and logIndex."
                        }
                      }
                    }
                  }
                }
              },
              "LogEntryList": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/LogEntry"
                }
              },
              "SearchLogQuery": {
                "type": "object",
                "additionalProperties": false,
                "description": "Entries by UUID or entry ID, by index, or by proposed entry; at most 10 queries in all (422 `too-many-queries` beyond). Entries the log does not hold are left out of the answer.",
                "properties": {
                  "entryUUIDs": {
                    "anyOf": [
                      {
                        "type": "array",
                        "maxItems": 10,
                        "items": {
                          "type": "string",
                          "pattern": "^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$"
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "logIndexes": {
                    "anyOf": [
                      {
                        "type": "array",
                        "maxItems": 10,
                        "items": {
                          "type": "integer",
                          "minimum": 0,
                          "maximum": 9223372036854775807
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "entries": {
                    "anyOf": [
                      {
                        "type": "array",
                        "maxItems": 10,
                        "items": {
                          "$ref": "#/components/schemas/ProposedEntry"
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  }
                }
              },
              "SearchIndex": {
                "type": "object",
                "additionalProperties": false,
                "description": "Rekor v1 index search (deprecated in Rekor): at least one of `hash`, `publicKey` and `email`, combined with `operator` (default `and`).",
                "properties": {
                  "hash": {
                    "anyOf": [
                      {
                        "type": "string",
                        "pattern": "^((sha256:)?[0-9a-fA-F]{64}|sha384:[0-9a-fA-F]{96}|sha512:[0-9a-fA-F]{128})$",
                        "description": "`[sha256:|sha384:|sha512:]<hex digest>`, case-insensitive."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "publicKey": {
                    "anyOf": [
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "content"
                        ],
                        "properties": {
                          "content": {
                            "type": "string",
                            "contentEncoding": "base64",
                            "description": "Base64 of a PEM key or certificate, or of DER."
                          },
                          "format": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          }
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "email": {
                    "anyOf": [
                      {
                        "type": "string"
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "operator": {
                    "anyOf": [
                      {
                        "enum": [
                          "and",
                          "or"
                        ]
                      },
                      {
                        "type": "null"
                      }
                    ]
                  }
                },
                "anyOf": [
                  {
                    "required": [
                      "hash"
                    ],
                    "properties": {
                      "hash": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  },
                  {
                    "required": [
                      "publicKey"
                    ],
                    "properties": {
                      "publicKey": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  },
                  {
                    "required": [
                      "email"
                    ],
                    "properties": {
                      "email": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  }
                ]
              },
              "LogInfo": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "rootHash",
                  "treeSize",
                  "signedTreeHead",
                  "treeID",
                  "inactiveShards"
                ],
                "properties": {
                  "rootHash": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{64}$"
                  },
                  "treeSize": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "signedTreeHead": {
                    "type": "string",
                    "description": "The Rekor v1 checkpoint: `<host> - <treeID>`, size, base64 root, then the signature line."
                  },
                  "treeID": {
                    "type": "string",
                    "pattern": "^-?[0-9]+$"
                  },
                  "inactiveShards": {
                    "type": "array",
                    "maxItems": 0
                  }
                }
              },
              "ConsistencyProof": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "rootHash",
                  "hashes"
                ],
                "properties": {
                  "rootHash": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{64}$"
                  },
                  "hashes": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "pattern": "^[0-9a-f]{64}$"
                    }
                  }
                }
              },
              "V2Verifier": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "keyDetails"
                ],
                "description": "A Rekor v2 `Verifier`: a DER certificate or DER public key, and the key's `PublicKeyDetails` name, which must match the key.",
                "properties": {
                  "x509Certificate": {
                    "anyOf": [
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "rawBytes"
                        ],
                        "properties": {
                          "rawBytes": {
                            "type": "string",
                            "contentEncoding": "base64",
                            "description": "Standard base64 (padding optional)."
                          }
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "publicKey": {
                    "anyOf": [
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "rawBytes"
                        ],
                        "properties": {
                          "rawBytes": {
                            "type": "string",
                            "contentEncoding": "base64",
                            "description": "Standard base64 (padding optional)."
                          }
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "keyDetails": {
                    "type": "string",
                    "example": "PKIX_ECDSA_P256_SHA_256"
                  }
                },
                "oneOf": [
                  {
                    "required": [
                      "x509Certificate"
                    ],
                    "properties": {
                      "x509Certificate": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  },
                  {
                    "required": [
                      "publicKey"
                    ],
                    "properties": {
                      "publicKey": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  }
                ]
              },
              "CreateEntryRequest": {
                "type": "object",
                "additionalProperties": false,
                "description": "Rekor v2 `CreateEntryRequest` (rekor-tiles): a hashedrekord 0.0.2 request (an ECDSA signature over a digest) or a dsse 0.0.2 request.",
                "properties": {
                  "hashedRekordRequestV002": {
                    "anyOf": [
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "digest",
                          "signature"
                        ],
                        "properties": {
                          "digest": {
                            "type": "string",
                            "contentEncoding": "base64",
                            "description": "Standard base64 (padding optional)."
                          },
                          "signature": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": [
                              "content",
                              "verifier"
                            ],
                            "properties": {
                              "content": {
                                "type": "string",
                                "contentEncoding": "base64",
                                "description": "Standard base64 (padding optional)."
                              },
                              "verifier": {
                                "$ref": "#/components/schemas/V2Verifier"
                              }
                            }
                          }
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "dsseRequestV002": {
                    "anyOf": [
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "envelope",
                          "verifiers"
                        ],
                        "properties": {
                          "envelope": {
                            "$ref": "#/components/schemas/DSSEEnvelope"
                          },
                          "verifiers": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                              "$ref": "#/components/schemas/V2Verifier"
                            }
                          }
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  }
                },
                "oneOf": [
                  {
                    "required": [
                      "hashedRekordRequestV002"
                    ],
                    "properties": {
                      "hashedRekordRequestV002": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  },
                  {
                    "required": [
                      "dsseRequestV002"
                    ],
                    "properties": {
                      "dsseRequestV002": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  }
                ]
              },
              "DSSEEnvelope": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "payload",
                  "payloadType",
                  "signatures"
                ],
                "properties": {
                  "payload": {
                    "type": "string",
                    "contentEncoding": "base64",
                    "description": "Standard base64 (padding optional)."
                  },
                  "payloadType": {
                    "type": "string"
                  },
                  "signatures": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "sig"
                      ],
                      "properties": {
                        "sig": {
                          "type": "string",
                          "contentEncoding": "base64",
                          "description": "Standard base64 (padding optional)."
                        },
                        "keyid": {
                          "anyOf": [
                            {
                              "type": "string"
                            },
                            {
                              "type": "null"
                            }
                          ]
                        }
                      }
                    }
                  }
                }
              },
              "TransparencyLogEntry": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "logIndex",
                  "logId",
                  "kindVersion",
                  "canonicalizedBody"
                ],
                "description": "A Sigstore `TransparencyLogEntry` (sigstore_rekor.proto), in protobuf JSON.",
                "properties": {
                  "logIndex": {
                    "type": "string",
                    "pattern": "^(0|[1-9][0-9]{0,18})$",
                    "description": "A non-negative int64 as a decimal string (protobuf JSON)."
                  },
                  "logId": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "keyId"
                    ],
                    "properties": {
                      "keyId": {
                        "type": "string",
                        "contentEncoding": "base64",
                        "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                      }
                    }
                  },
                  "kindVersion": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "kind",
                      "version"
                    ],
                    "properties": {
                      "kind": {
                        "type": "string"
                      },
                      "version": {
                        "type": "string"
                      }
                    }
                  },
                  "integratedTime": {
                    "type": "string",
                    "pattern": "^(0|[1-9][0-9]{0,18})$",
                    "description": "A non-negative int64 as a decimal string (protobuf JSON)."
                  },
                  "inclusionPromise": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "signedEntryTimestamp"
                    ],
                    "properties": {
                      "signedEntryTimestamp": {
                        "type": "string",
                        "contentEncoding": "base64",
                        "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                      }
                    }
                  },
                  "inclusionProof": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "logIndex",
                      "rootHash",
                      "treeSize",
                      "hashes"
                    ],
                    "properties": {
                      "logIndex": {
                        "type": "string",
                        "pattern": "^(0|[1-9][0-9]{0,18})$",
                        "description": "A non-negative int64 as a decimal string (protobuf JSON)."
                      },
                      "rootHash": {
                        "type": "string",
                        "contentEncoding": "base64",
                        "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                      },
                      "treeSize": {
                        "type": "string",
                        "pattern": "^(0|[1-9][0-9]{0,18})$",
                        "description": "A non-negative int64 as a decimal string (protobuf JSON)."
                      },
                      "hashes": {
                        "type": "array",
                        "items": {
                          "type": "string",
                          "contentEncoding": "base64",
                          "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                        }
                      },
                      "checkpoint": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "envelope"
                        ],
                        "properties": {
                          "envelope": {
                            "type": "string"
                          }
                        }
                      }
                    }
                  },
                  "canonicalizedBody": {
                    "type": "string",
                    "contentEncoding": "base64",
                    "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                  }
                }
              },
              "Bundle": {
                "type": "object",
                "required": [
                  "mediaType",
                  "verificationMaterial"
                ],
                "description": "A Sigstore bundle (v0.1 to v0.3, protobuf JSON; sigstore_bundle.proto): verification material plus a message signature or a DSSE envelope.",
                "properties": {
                  "mediaType": {
                    "type": "string",
                    "pattern": "^application/vnd\\.dev\\.sigstore\\.bundle"
                  },
                  "verificationMaterial": {
                    "type": "object",
                    "properties": {
                      "certificate": {
                        "type": "object",
                        "properties": {
                          "rawBytes": {
                            "type": "string"
                          }
                        }
                      },
                      "x509CertificateChain": {
                        "type": "object",
                        "properties": {
                          "certificates": {
                            "type": "array",
                            "items": {
                              "type": "object",
                              "properties": {
                                "rawBytes": {
                                  "type": "string"
                                }
                              }
                            }
                          }
                        }
                      },
                      "publicKey": {
                        "type": "object",
                        "properties": {
                          "hint": {
                            "type": "string"
                          }
                        }
                      },
                      "tlogEntries": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/TransparencyLogEntry"
                        }
                      },
                      "timestampVerificationData": {
                        "type": "object",
                        "properties": {
                          "rfc3161Timestamps": {
                            "type": "array",
                            "items": {
                              "type": "object",
                              "properties": {
                                "signedTimestamp": {
                                  "type": "string"
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  },
                  "messageSignature": {
                    "type": "object",
                    "properties": {
                      "messageDigest": {
                        "type": "object",
                        "properties": {
                          "algorithm": {
                            "type": "string"
                          },
                          "digest": {
                            "type": "string"
                          }
                        }
                      },
                      "signature": {
                        "type": "string"
                      }
                    }
                  },
                  "dsseEnvelope": {
                    "$ref": "#/components/schemas/DSSEEnvelope"
                  }
                }
              },
              "ClientTrustConfig": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "mediaType",
                  "trustedRoot",
                  "signingConfig"
                ],
                "description": "Sigstore `ClientTrustConfig` v0.1: this instance's trusted root (CA, logs, CT log, TSA) and its signing configuration, for `sigstore --trust-config` and `signet trust init`.",
                "properties": {
                  "mediaType": {
                    "const": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json"
                  },
                  "trustedRoot": {
                    "type": "object",
                    "required": [
                      "mediaType",
                      "tlogs",
                      "certificateAuthorities",
                      "ctlogs",
                      "timestampAuthorities"
                    ],
                    "properties": {
                      "mediaType": {
                        "const": "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
                      },
                      "tlogs": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/TransparencyLogInstance"
                        }
                      },
                      "certificateAuthorities": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/CertificateAuthority"
                        }
                      },
                      "ctlogs": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/TransparencyLogInstance"
                        }
                      },
                      "timestampAuthorities": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/CertificateAuthority"
                        }
                      }
                    },
                    "additionalProperties": false
                  },
                  "signingConfig": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "mediaType",
                      "caUrls",
                      "oidcUrls",
                      "rekorTlogUrls",
                      "rekorTlogConfig",
                      "tsaUrls",
                      "tsaConfig"
                    ],
                    "properties": {
                      "mediaType": {
                        "const": "application/vnd.dev.sigstore.signingconfig.v0.2+json"
                      },
                      "caUrls": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/Service"
                        }
                      },
                      "oidcUrls": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/Service"
                        }
                      },
                      "rekorTlogUrls": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/Service"
                        }
                      },
                      "tsaUrls": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/Service"
                        }
                      },
                      "rekorTlogConfig": {
                        "$ref": "#/components/schemas/ServiceConfiguration"
                      },
                      "tsaConfig": {
                        "$ref": "#/components/schemas/ServiceConfiguration"
                      }
                    }
                  }
                }
              },
              "TimeRange": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "start"
                ],
                "properties": {
                  "start": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "end": {
                    "type": "string",
                    "format": "date-time"
                  }
                }
              },
              "TransparencyLogInstance": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "baseUrl",
                  "hashAlgorithm",
                  "publicKey",
                  "logId"
                ],
                "properties": {
                  "baseUrl": {
                    "type": "string"
                  },
                  "hashAlgorithm": {
                    "const": "SHA2_256"
                  },
                  "publicKey": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "rawBytes",
                      "keyDetails",
                      "validFor"
                    ],
                    "properties": {
                      "rawBytes": {
                        "type": "string",
                        "contentEncoding": "base64",
                        "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                      },
                      "keyDetails": {
                        "type": "string"
                      },
                      "validFor": {
                        "$ref": "#/components/schemas/TimeRange"
                      }
                    }
                  },
                  "logId": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "keyId"
                    ],
                    "properties": {
                      "keyId": {
                        "type": "string",
                        "contentEncoding": "base64",
                        "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                      }
                    }
                  }
                }
              },
              "CertificateAuthority": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "subject",
                  "uri",
                  "certChain",
                  "validFor"
                ],
                "properties": {
                  "subject": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "organization",
                      "commonName"
                    ],
                    "properties": {
                      "organization": {
                        "type": "string"
                      },
                      "commonName": {
                        "type": "string"
                      }
                    }
                  },
                  "uri": {
                    "type": "string"
                  },
                  "certChain": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "certificates"
                    ],
                    "properties": {
                      "certificates": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                          "type": "object",
                          "additionalProperties": false,
                          "required": [
                            "rawBytes"
                          ],
                          "properties": {
                            "rawBytes": {
                              "type": "string",
                              "contentEncoding": "base64",
                              "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                            }
                          }
                        }
                      }
                    }
                  },
                  "validFor": {
                    "$ref": "#/components/schemas/TimeRange"
                  }
                }
              },
              "Service": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "url",
                  "majorApiVersion",
                  "validFor",
                  "operator"
                ],
                "properties": {
                  "url": {
                    "type": "string"
                  },
                  "majorApiVersion": {
                    "type": "integer",
                    "minimum": 1
                  },
                  "validFor": {
                    "$ref": "#/components/schemas/TimeRange"
                  },
                  "operator": {
                    "type": "string"
                  }
                }
              },
              "ServiceConfiguration": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "selector"
                ],
                "properties": {
                  "selector": {
                    "enum": [
                      "ALL",
                      "ANY",
                      "EXACT"
                    ]
                  },
                  "count": {
                    "type": "integer",
                    "minimum": 1
                  }
                }
              },
              "OpenIDConfiguration": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "issuer",
                  "jwks_uri",
                  "response_types_supported",
                  "subject_types_supported",
                  "id_token_signing_alg_values_supported",
                  "authorization_endpoint",
                  "token_endpoint",
                  "grant_types_supported",
                  "code_challenge_methods_supported",
                  "token_endpoint_auth_methods_supported",
                  "scopes_supported"
                ],
                "properties": {
                  "issuer": {
                    "type": "string"
                  },
                  "jwks_uri": {
                    "type": "string"
                  },
                  "response_types_supported": {
                    "type": "array",
                    "items": {
                      "enum": [
                        "code",
                        "id_token"
                      ]
                    }
                  },
                  "subject_types_supported": {
                    "type": "array",
                    "items": {
                      "const": "public"
                    }
                  },
                  "id_token_signing_alg_values_supported": {
                    "type": "array",
                    "items": {
                      "const": "ES256"
                    }
                  },
                  "authorization_endpoint": {
                    "type": "string"
                  },
                  "token_endpoint": {
                    "type": "string"
                  },
                  "grant_types_supported": {
                    "type": "array",
                    "items": {
                      "const": "authorization_code"
                    }
                  },
                  "code_challenge_methods_supported": {
                    "type": "array",
                    "items": {
                      "const": "S256"
                    }
                  },
                  "token_endpoint_auth_methods_supported": {
                    "type": "array",
                    "items": {
                      "const": "none"
                    }
                  },
                  "scopes_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                }
              },
              "JWKSet": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "keys"
                ],
                "properties": {
                  "keys": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "kty",
                        "crv",
                        "alg",
                        "use",
                        "kid",
                        "x",
                        "y"
                      ],
                      "properties": {
                        "kty": {
                          "const": "EC"
                        },
                        "crv": {
                          "const": "P-256"
                        },
                        "alg": {
                          "const": "ES256"
                        },
                        "use": {
                          "const": "sig"
                        },
                        "kid": {
                          "type": "string"
                        },
                        "x": {
                          "type": "string",
                          "pattern": "^[A-Za-z0-9_-]{43}$"
                        },
                        "y": {
                          "type": "string",
                          "pattern": "^[A-Za-z0-9_-]{43}$"
                        }
                      }
                    }
                  }
                }
              },
              "ArtifactSigningCertificateRequest": {
                "type": "object",
                "additionalProperties": false,
                "description": "A Fulcio v2 request (without `credentials`: the credential travels in the Authorization header only) plus `provenance`: values the signer states for Fulcio extensions its token does not set. A stated value that contradicts a token claim is refused; stated values never enter the certificate, which carries only what the token attests (registration records them beside the signature).",
                "properties": {
                  "certificateSigningRequest": {
                    "anyOf": [
                      {
                        "type": "string",
                        "contentEncoding": "base64",
                        "description": "Standard base64 (padding optional)."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "publicKeyRequest": {
                    "anyOf": [
                      {
                        "$ref": "#/components/schemas/PublicKeyRequest"
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "provenance": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "sourceRepositoryURI": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 1024,
                        "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                      },
                      "sourceRepositoryRef": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 1024,
                        "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                      },
                      "sourceRepositoryDigest": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 1024,
                        "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                      },
                      "sourceRepositoryOwnerURI": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 1024,
                        "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                      },
                      "runnerEnvironment": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 1024,
                        "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                      },
                      "buildConfigURI": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 1024,
                        "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                      },
                      "buildConfigDigest": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 1024,
                        "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                      }
                    }
                  }
                },
                "oneOf": [
                  {
                    "required": [
                      "certificateSigningRequest"
                    ],
                    "properties": {
                      "certificateSigningRequest": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  },
                  {
                    "required": [
                      "publicKeyRequest"
                    ],
                    "properties": {
                      "publicKeyRequest": {
                        "not": {
                          "type": "null"
                        }
                      }
                    }
                  }
                ]
              },
              "RegistrationRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "bundle"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 512,
                    "pattern": "^[!-~]+@sha256:[0-9a-f]{64}$",
                    "description": "An artifact name pinned by digest: `host[:port]/path@sha256:<64 lower-case hex>` (a tag before the digest is dropped). At most 512 bytes.",
                    "example": "registry.example.com/team/app@sha256:5e6ae9de58c1177bea615b4fcbfb2fd688e8c4b51c2e56b6a38e817833ec24a2"
                  },
                  "bundle": {
                    "$ref": "#/components/schemas/Bundle"
                  },
                  "namespace": {
                    "anyOf": [
                      {
                        "type": "string",
                        "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                        "description": "Needed when the caller may sign in several namespaces."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "provenance": {
                    "anyOf": [
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                          "sourceRepositoryURI": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "sourceRepositoryRef": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "sourceRepositoryDigest": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "sourceRepositoryOwnerURI": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "runnerEnvironment": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "buildConfigURI": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "buildConfigDigest": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          }
                        },
                        "description": "Provenance the signer states beyond what its certificate attests, recorded beside the signature as `statedProvenance` and never taken for attested. A value that contradicts the certificate is refused (`provenance-conflict`)."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  }
                }
              },
              "Registration": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "namespace",
                  "name",
                  "logIndex",
                  "url",
                  "status"
                ],
                "properties": {
                  "status": {
                    "enum": [
                      "active",
                      "revoked"
                    ],
                    "description": "`revoked` only when a revocation was stored between the pre-check and the registration's transaction."
                  },
                  "revocation": {
                    "$ref": "#/components/schemas/RevocationStatement"
                  },
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{64}$",
                    "description": "The signature's ID: the hex leaf hash of its log entry."
                  },
                  "namespace": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  },
                  "logIndex": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "url": {
                    "type": "string",
                    "description": "The name's page in the web UI."
                  },
                  "predicateType": {
                    "type": "string",
                    "description": "The statement's predicate type, for an attestation."
                  }
                }
              },
              "AuthorizationRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 512,
                    "pattern": "^[!-~]+@sha256:[0-9a-f]{64}$",
                    "description": "An artifact name pinned by digest: `host[:port]/path@sha256:<64 lower-case hex>` (a tag before the digest is dropped). At most 512 bytes.",
                    "example": "registry.example.com/team/app@sha256:5e6ae9de58c1177bea615b4fcbfb2fd688e8c4b51c2e56b6a38e817833ec24a2"
                  },
                  "namespace": {
                    "anyOf": [
                      {
                        "type": "string",
                        "description": "Must be the namespace that owns the name, if one does."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "provenance": {
                    "anyOf": [
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                          "sourceRepositoryURI": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "sourceRepositoryRef": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "sourceRepositoryDigest": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "sourceRepositoryOwnerURI": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "runnerEnvironment": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "buildConfigURI": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          },
                          "buildConfigDigest": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1024,
                            "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                          }
                        }
                      },
                      {
                        "type": "null"
                      }
                    ]
                  }
                }
              },
              "Authorization": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "namespace",
                  "identity",
                  "issuer",
                  "provenance",
                  "statedProvenance"
                ],
                "description": "What a certificate and a registration for the name would be: the namespace, the identity and issuer certified, the provenance the certificate would carry (what the token attests) and the stated provenance registration would record beside it.",
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "namespace": {
                    "type": "string"
                  },
                  "identity": {
                    "type": "string"
                  },
                  "issuer": {
                    "type": "string"
                  },
                  "provenance": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "githubWorkflowTrigger": {
                        "type": "string"
                      },
                      "githubWorkflowSHA": {
                        "type": "string"
                      },
                      "githubWorkflowName": {
                        "type": "string"
                      },
                      "githubWorkflowRepository": {
                        "type": "string"
                      },
                      "githubWorkflowRef": {
                        "type": "string"
                      },
                      "buildSignerURI": {
                        "type": "string"
                      },
                      "buildSignerDigest": {
                        "type": "string"
                      },
                      "runnerEnvironment": {
                        "type": "string"
                      },
                      "sourceRepositoryURI": {
                        "type": "string"
                      },
                      "sourceRepositoryDigest": {
                        "type": "string"
                      },
                      "sourceRepositoryRef": {
                        "type": "string"
                      },
                      "sourceRepositoryIdentifier": {
                        "type": "string"
                      },
                      "sourceRepositoryOwnerURI": {
                        "type": "string"
                      },
                      "sourceRepositoryOwnerIdentifier": {
                        "type": "string"
                      },
                      "buildConfigURI": {
                        "type": "string"
                      },
                      "buildConfigDigest": {
                        "type": "string"
                      },
                      "buildTrigger": {
                        "type": "string"
                      },
                      "runInvocationURI": {
                        "type": "string"
                      },
                      "sourceRepositoryVisibility": {
                        "type": "string"
                      },
                      "deploymentEnvironment": {
                        "type": "string"
                      },
                      "tokenSubject": {
                        "type": "string"
                      }
                    }
                  },
                  "statedProvenance": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "githubWorkflowTrigger": {
                        "type": "string"
                      },
                      "githubWorkflowSHA": {
                        "type": "string"
                      },
                      "githubWorkflowName": {
                        "type": "string"
                      },
                      "githubWorkflowRepository": {
                        "type": "string"
                      },
                      "githubWorkflowRef": {
                        "type": "string"
                      },
                      "buildSignerURI": {
                        "type": "string"
                      },
                      "buildSignerDigest": {
                        "type": "string"
                      },
                      "runnerEnvironment": {
                        "type": "string"
                      },
                      "sourceRepositoryURI": {
                        "type": "string"
                      },
                      "sourceRepositoryDigest": {
                        "type": "string"
                      },
                      "sourceRepositoryRef": {
                        "type": "string"
                      },
                      "sourceRepositoryIdentifier": {
                        "type": "string"
                      },
                      "sourceRepositoryOwnerURI": {
                        "type": "string"
                      },
                      "sourceRepositoryOwnerIdentifier": {
                        "type": "string"
                      },
                      "buildConfigURI": {
                        "type": "string"
                      },
                      "buildConfigDigest": {
                        "type": "string"
                      },
                      "buildTrigger": {
                        "type": "string"
                      },
                      "runInvocationURI": {
                        "type": "string"
                      },
                      "sourceRepositoryVisibility": {
                        "type": "string"
                      },
                      "deploymentEnvironment": {
                        "type": "string"
                      },
                      "tokenSubject": {
                        "type": "string"
                      }
                    }
                  }
                }
              },
              "RevocationRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "sourceRepositoryRef"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 512,
                    "pattern": "^[!-~]+@sha256:[0-9a-f]{64}$",
                    "description": "An artifact name pinned by digest: `host[:port]/path@sha256:<64 lower-case hex>` (a tag before the digest is dropped). At most 512 bytes.",
                    "example": "registry.example.com/team/app@sha256:5e6ae9de58c1177bea615b4fcbfb2fd688e8c4b51c2e56b6a38e817833ec24a2"
                  },
                  "sourceRepositoryRef": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 1024,
                    "pattern": "^[^\\u0000-\\u001F\\u007F]*$"
                  },
                  "reason": {
                    "anyOf": [
                      {
                        "type": "string",
                        "maxLength": 1024,
                        "pattern": "^[^\\u0000-\\u001F\\u007F]*$",
                        "description": "At most 1024 bytes of printable text."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  }
                }
              },
              "RevocationStatement": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "mediaType",
                  "id",
                  "namespace",
                  "name",
                  "sourceRepositoryRef",
                  "reason",
                  "actor",
                  "time"
                ],
                "properties": {
                  "mediaType": {
                    "const": "application/vnd.signet.revocation+json;version=0.1"
                  },
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{32}$"
                  },
                  "namespace": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  },
                  "sourceRepositoryRef": {
                    "type": "string"
                  },
                  "reason": {
                    "type": "string"
                  },
                  "actor": {
                    "type": "string"
                  },
                  "time": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "logIndex": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "The statement's own log entry."
                  }
                }
              },
              "Revocation": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "revocation",
                  "revoked"
                ],
                "properties": {
                  "revocation": {
                    "$ref": "#/components/schemas/RevocationStatement"
                  },
                  "revoked": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "pattern": "^[0-9a-f]{64}$"
                    },
                    "description": "The IDs of the signatures revoked."
                  }
                }
              },
              "SignedRevocationSnapshot": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "snapshot",
                  "bundle"
                ],
                "description": "Every revocation, signed and logged by the server: the snapshot's exact bytes (base64 of `application/vnd.signet.revocations+json;version=0.1`) and the bundle of the server's signature over them.",
                "properties": {
                  "snapshot": {
                    "type": "string",
                    "contentEncoding": "base64",
                    "pattern": "^[A-Za-z0-9+/]*={0,2}$"
                  },
                  "bundle": {
                    "$ref": "#/components/schemas/Bundle"
                  }
                }
              },
              "Signature": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "namespace",
                  "name",
                  "identity",
                  "issuer",
                  "provenance",
                  "statedProvenance",
                  "logIndex",
                  "signedAt",
                  "certificateSerial",
                  "revocation",
                  "predicateType"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{64}$"
                  },
                  "namespace": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  },
                  "identity": {
                    "type": "string"
                  },
                  "issuer": {
                    "type": "string"
                  },
                  "provenance": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "githubWorkflowTrigger": {
                        "type": "string"
                      },
                      "githubWorkflowSHA": {
                        "type": "string"
                      },
                      "githubWorkflowName": {
                        "type": "string"
                      },
                      "githubWorkflowRepository": {
                        "type": "string"
                      },
                      "githubWorkflowRef": {
                        "type": "string"
                      },
                      "buildSignerURI": {
                        "type": "string"
                      },
                      "buildSignerDigest": {
                        "type": "string"
                      },
                      "runnerEnvironment": {
                        "type": "string"
                      },
                      "sourceRepositoryURI": {
                        "type": "string"
                      },
                      "sourceRepositoryDigest": {
                        "type": "string"
                      },
                      "sourceRepositoryRef": {
                        "type": "string"
                      },
                      "sourceRepositoryIdentifier": {
                        "type": "string"
                      },
                      "sourceRepositoryOwnerURI": {
                        "type": "string"
                      },
                      "sourceRepositoryOwnerIdentifier": {
                        "type": "string"
                      },
                      "buildConfigURI": {
                        "type": "string"
                      },
                      "buildConfigDigest": {
                        "type": "string"
                      },
                      "buildTrigger": {
                        "type": "string"
                      },
                      "runInvocationURI": {
                        "type": "string"
                      },
                      "sourceRepositoryVisibility": {
                        "type": "string"
                      },
                      "deploymentEnvironment": {
                        "type": "string"
                      },
                      "tokenSubject": {
                        "type": "string"
                      }
                    },
                    "description": "The certificate's provenance extensions: what the identity provider's token attested."
                  },
                  "statedProvenance": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "githubWorkflowTrigger": {
                        "type": "string"
                      },
                      "githubWorkflowSHA": {
                        "type": "string"
                      },
                      "githubWorkflowName": {
                        "type": "string"
                      },
                      "githubWorkflowRepository": {
                        "type": "string"
                      },
                      "githubWorkflowRef": {
                        "type": "string"
                      },
                      "buildSignerURI": {
                        "type": "string"
                      },
                      "buildSignerDigest": {
                        "type": "string"
                      },
                      "runnerEnvironment": {
                        "type": "string"
                      },
                      "sourceRepositoryURI": {
                        "type": "string"
                      },
                      "sourceRepositoryDigest": {
                        "type": "string"
                      },
                      "sourceRepositoryRef": {
                        "type": "string"
                      },
                      "sourceRepositoryIdentifier": {
                        "type": "string"
                      },
                      "sourceRepositoryOwnerURI": {
                        "type": "string"
                      },
                      "sourceRepositoryOwnerIdentifier": {
                        "type": "string"
                      },
                      "buildConfigURI": {
                        "type": "string"
                      },
                      "buildConfigDigest": {
                        "type": "string"
                      },
                      "buildTrigger": {
                        "type": "string"
                      },
                      "runInvocationURI": {
                        "type": "string"
                      },
                      "sourceRepositoryVisibility": {
                        "type": "string"
                      },
                      "deploymentEnvironment": {
                        "type": "string"
                      },
                      "tokenSubject": {
                        "type": "string"
                      }
                    },
                    "description": "Provenance the signer stated at registration beyond what the certificate attests: the signer's word. Revocations and traces go by a stated source ref as by an attested one; verification counts a stated value only when asked to (`acceptStatedProvenance`)."
                  },
                  "logIndex": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "signedAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "certificateSerial": {
                    "type": "string",
                    "pattern": "^[0-9a-f]*$"
                  },
                  "revocation": {
                    "oneOf": [
                      {
                        "$ref": "#/components/schemas/RevocationStatement"
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "bundle": {
                    "oneOf": [
                      {
                        "$ref": "#/components/schemas/Bundle"
                      },
                      {
                        "type": "null"
                      }
                    ],
                    "description": "Only where a client verifies it (`/artifact`)."
                  },
                  "predicateType": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The statement's predicate type URI for an attestation; null for a signature."
                  }
                }
              },
              "Artifact": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "namespace",
                  "signatures",
                  "attestations",
                  "revocations"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "namespace": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "signatures": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Signature"
                    }
                  },
                  "attestations": {
                    "type": "array",
                    "description": "The name's attestations, without bundles (`GET /api/signet/v1/attestations` has them).",
                    "items": {
                      "$ref": "#/components/schemas/Signature"
                    }
                  },
                  "revocations": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/RevocationStatement"
                    }
                  }
                }
              },
              "AttestationList": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "namespace",
                  "type",
                  "attestations"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "namespace": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "type": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The predicate type URI asked for, or null."
                  },
                  "attestations": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "id",
                        "namespace",
                        "name",
                        "identity",
                        "issuer",
                        "provenance",
                        "statedProvenance",
                        "logIndex",
                        "signedAt",
                        "certificateSerial",
                        "revocation",
                        "predicateType",
                        "bundle"
                      ],
                      "properties": {
                        "id": {
                          "type": "string",
                          "pattern": "^[0-9a-f]{64}$"
                        },
                        "namespace": {
                          "type": "string"
                        },
                        "name": {
                          "type": "string"
                        },
                        "identity": {
                          "type": "string"
                        },
                        "issuer": {
                          "type": "string"
                        },
                        "provenance": {
                          "type": "object",
                          "additionalProperties": false,
                          "properties": {
                            "githubWorkflowTrigger": {
                              "type": "string"
                            },
                            "githubWorkflowSHA": {
                              "type": "string"
                            },
                            "githubWorkflowName": {
                              "type": "string"
                            },
                            "githubWorkflowRepository": {
                              "type": "string"
                            },
                            "githubWorkflowRef": {
                              "type": "string"
                            },
                            "buildSignerURI": {
                              "type": "string"
                            },
                            "buildSignerDigest": {
                              "type": "string"
                            },
                            "runnerEnvironment": {
                              "type": "string"
                            },
                            "sourceRepositoryURI": {
                              "type": "string"
                            },
                            "sourceRepositoryDigest": {
                              "type": "string"
                            },
                            "sourceRepositoryRef": {
                              "type": "string"
                            },
                            "sourceRepositoryIdentifier": {
                              "type": "string"
                            },
                            "sourceRepositoryOwnerURI": {
                              "type": "string"
                            },
                            "sourceRepositoryOwnerIdentifier": {
                              "type": "string"
                            },
                            "buildConfigURI": {
                              "type": "string"
                            },
                            "buildConfigDigest": {
                              "type": "string"
                            },
                            "buildTrigger": {
                              "type": "string"
                            },
                            "runInvocationURI": {
                              "type": "string"
                            },
                            "sourceRepositoryVisibility": {
                              "type": "string"
                            },
                            "deploymentEnvironment": {
                              "type": "string"
                            },
                            "tokenSubject": {
                              "type": "string"
                            }
                          },
                          "description": "The certificate's provenance extensions: what the identity provider's token attested."
                        },
                        "statedProvenance": {
                          "type": "object",
                          "additionalProperties": false,
                          "properties": {
                            "githubWorkflowTrigger": {
                              "type": "string"
                            },
                            "githubWorkflowSHA": {
                              "type": "string"
                            },
                            "githubWorkflowName": {
                              "type": "string"
                            },
                            "githubWorkflowRepository": {
                              "type": "string"
                            },
                            "githubWorkflowRef": {
                              "type": "string"
                            },
                            "buildSignerURI": {
                              "type": "string"
                            },
                            "buildSignerDigest": {
                              "type": "string"
                            },
                            "runnerEnvironment": {
                              "type": "string"
                            },
                            "sourceRepositoryURI": {
                              "type": "string"
                            },
                            "sourceRepositoryDigest": {
                              "type": "string"
                            },
                            "sourceRepositoryRef": {
                              "type": "string"
                            },
                            "sourceRepositoryIdentifier": {
                              "type": "string"
                            },
                            "sourceRepositoryOwnerURI": {
                              "type": "string"
                            },
                            "sourceRepositoryOwnerIdentifier": {
                              "type": "string"
                            },
                            "buildConfigURI": {
                              "type": "string"
                            },
                            "buildConfigDigest": {
                              "type": "string"
                            },
                            "buildTrigger": {
                              "type": "string"
                            },
                            "runInvocationURI": {
                              "type": "string"
                            },
                            "sourceRepositoryVisibility": {
                              "type": "string"
                            },
                            "deploymentEnvironment": {
                              "type": "string"
                            },
                            "tokenSubject": {
                              "type": "string"
                            }
                          },
                          "description": "Provenance the signer stated at registration beyond what the certificate attests: the signer's word. Revocations and traces go by a stated source ref as by an attested one; verification counts a stated value only when asked to (`acceptStatedProvenance`)."
                        },
                        "logIndex": {
                          "type": "integer",
                          "minimum": 0
                        },
                        "signedAt": {
                          "type": "string",
                          "format": "date-time"
                        },
                        "certificateSerial": {
                          "type": "string",
                          "pattern": "^[0-9a-f]*$"
                        },
                        "revocation": {
                          "oneOf": [
                            {
                              "$ref": "#/components/schemas/RevocationStatement"
                            },
                            {
                              "type": "null"
                            }
                          ]
                        },
                        "bundle": {
                          "$ref": "#/components/schemas/Bundle"
                        },
                        "predicateType": {
                          "type": [
                            "string",
                            "null"
                          ],
                          "description": "The statement's predicate type URI for an attestation; null for a signature."
                        }
                      }
                    }
                  }
                }
              },
              "SignaturePage": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "signatures",
                  "next"
                ],
                "properties": {
                  "signatures": {
                    "type": "array",
                    "maxItems": 1000,
                    "items": {
                      "$ref": "#/components/schemas/Signature"
                    }
                  },
                  "next": {
                    "oneOf": [
                      {
                        "type": "string",
                        "pattern": "^[0-9a-f]{64}$"
                      },
                      {
                        "type": "null"
                      }
                    ],
                    "description": "Pass as `after` for the next page; null on the last."
                  }
                }
              },
              "Trace": {
                "oneOf": [
                  {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "name",
                      "signatures"
                    ],
                    "description": "Cloud to code: where each of the name's signatures came from.",
                    "properties": {
                      "name": {
                        "type": "string"
                      },
                      "signatures": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/Signature"
                        }
                      }
                    }
                  },
                  {
                    "type": "object",
                    "additionalProperties": false,
                    "required": [
                      "sourceRepositoryRef",
                      "sourceRepository",
                      "signatures",
                      "next"
                    ],
                    "description": "Code to cloud: every signature made from the ref.",
                    "properties": {
                      "sourceRepositoryRef": {
                        "type": "string"
                      },
                      "sourceRepository": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "signatures": {
                        "type": "array",
                        "maxItems": 1000,
                        "items": {
                          "$ref": "#/components/schemas/Signature"
                        }
                      },
                      "next": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "description": "The id to pass as `after` for the next page; null on the last page."
                      }
                    }
                  }
                ]
              },
              "VerifyRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "issuer"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 512,
                    "pattern": "^[!-~]+@sha256:[0-9a-f]{64}$",
                    "description": "An artifact name pinned by digest: `host[:port]/path@sha256:<64 lower-case hex>` (a tag before the digest is dropped). At most 512 bytes.",
                    "example": "registry.example.com/team/app@sha256:5e6ae9de58c1177bea615b4fcbfb2fd688e8c4b51c2e56b6a38e817833ec24a2"
                  },
                  "issuer": {
                    "type": "string"
                  },
                  "identity": {
                    "anyOf": [
                      {
                        "type": "string"
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "provenance": {
                    "anyOf": [
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                          "issuerV1": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "githubWorkflowTrigger": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "githubWorkflowSHA": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "githubWorkflowName": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "githubWorkflowRepository": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "githubWorkflowRef": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "issuer": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "buildSignerURI": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "buildSignerDigest": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "runnerEnvironment": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "sourceRepositoryURI": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "sourceRepositoryDigest": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "sourceRepositoryRef": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "sourceRepositoryIdentifier": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "sourceRepositoryOwnerURI": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "sourceRepositoryOwnerIdentifier": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "buildConfigURI": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "buildConfigDigest": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "buildTrigger": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "runInvocationURI": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "sourceRepositoryVisibility": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "deploymentEnvironment": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          },
                          "tokenSubject": {
                            "anyOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "null"
                              }
                            ]
                          }
                        },
                        "description": "Required values of Fulcio extensions, by field name."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "acceptStatedProvenance": {
                    "anyOf": [
                      {
                        "type": "boolean",
                        "description": "Let provenance the signer stated at registration meet a `provenance` value the certificate does not attest. Default false."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  },
                  "anySigner": {
                    "anyOf": [
                      {
                        "type": "boolean",
                        "description": "Accept any signer of the issuer. Without it, the request must name an `identity` or an attested publisher (`sourceRepositoryURI`, `sourceRepositoryIdentifier`, `sourceRepositoryOwnerURI`, `sourceRepositoryOwnerIdentifier`, `buildConfigURI` or `buildSignerURI`), else 400 `signer-unconstrained`. Default false."
                      },
                      {
                        "type": "null"
                      }
                    ]
                  }
                }
              },
              "VerifyResult": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "verified",
                  "signature",
                  "code",
                  "message",
                  "signatures"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "verified": {
                    "type": "boolean"
                  },
                  "signature": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "code": {
                    "type": "string",
                    "description": "`verified`, `no-signature`, `verification-failed`, or the one verification error code every signature failed with."
                  },
                  "message": {
                    "type": "string"
                  },
                  "signatures": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "id",
                        "verified",
                        "checks"
                      ],
                      "properties": {
                        "id": {
                          "type": "string"
                        },
                        "verified": {
                          "type": "boolean"
                        },
                        "code": {
                          "type": "string"
                        },
                        "message": {
                          "type": "string"
                        },
                        "checks": {
                          "type": "array",
                          "items": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": [
                              "name",
                              "passed",
                              "detail"
                            ],
                            "properties": {
                              "name": {
                                "type": "string"
                              },
                              "passed": {
                                "type": "boolean"
                              },
                              "detail": {
                                "type": "string"
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              },
              "AdmitRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "environment"
                ],
                "description": "Exactly one of `name` and `image` (400 `invalid-request` otherwise).",
                "properties": {
                  "name": {
                    "anyOf": [
                      {
                        "type": "string"
                      },
                      {
                        "type": "null"
                      }
                    ],
                    "description": "A digest-pinned name; a reference without `@sha256:` is refused as `not-pinned`."
                  },
                  "image": {
                    "anyOf": [
                      {
                        "type": "string"
                      },
                      {
                        "type": "null"
                      }
                    ],
                    "description": "An image reference, read as `name`."
                  },
                  "environment": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 63,
                    "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                    "description": "An environment name as policies write it."
                  },
                  "explain": {
                    "anyOf": [
                      {
                        "type": "boolean"
                      },
                      {
                        "type": "null"
                      }
                    ],
                    "description": "Also return every check made."
                  },
                  "vsa": {
                    "anyOf": [
                      {
                        "type": "boolean"
                      },
                      {
                        "type": "null"
                      }
                    ],
                    "description": "Also return a signed SLSA Verification Summary Attestation of the decision (the gate's DSSE bundle, logged; identity `<server>/signet/gate`, issuer `<server>`)."
                  }
                }
              },
              "Decision": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "allowed",
                  "code",
                  "message",
                  "subject",
                  "environment",
                  "policyDigest",
                  "policies",
                  "evidence",
                  "warnings",
                  "expiresAt"
                ],
                "properties": {
                  "allowed": {
                    "type": "boolean"
                  },
                  "code": {
                    "type": "string"
                  },
                  "message": {
                    "type": "string"
                  },
                  "subject": {
                    "type": "string"
                  },
                  "environment": {
                    "type": "string"
                  },
                  "policyDigest": {
                    "type": "string",
                    "pattern": "^sha256:[0-9a-f]{64}$",
                    "description": "SHA-256 of the applied policies' digests, one per line, in order."
                  },
                  "policies": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "name",
                        "digest",
                        "mode"
                      ],
                      "properties": {
                        "name": {
                          "type": "string"
                        },
                        "digest": {
                          "type": "string"
                        },
                        "mode": {
                          "enum": [
                            "enforce",
                            "warn",
                            "audit"
                          ]
                        }
                      }
                    }
                  },
                  "evidence": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "id",
                        "predicateType",
                        "identity",
                        "issuer",
                        "logIndex"
                      ],
                      "properties": {
                        "id": {
                          "type": "string"
                        },
                        "predicateType": {
                          "type": [
                            "string",
                            "null"
                          ]
                        },
                        "identity": {
                          "type": "string"
                        },
                        "issuer": {
                          "type": "string"
                        },
                        "logIndex": {
                          "type": [
                            "integer",
                            "null"
                          ]
                        }
                      }
                    }
                  },
                  "warnings": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "expiresAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "checks": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "policy",
                        "rule",
                        "passed",
                        "detail"
                      ],
                      "properties": {
                        "policy": {
                          "type": "string"
                        },
                        "rule": {
                          "type": "string"
                        },
                        "passed": {
                          "type": "boolean"
                        },
                        "detail": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "vsa": {
                    "$ref": "#/components/schemas/Bundle"
                  }
                }
              },
              "Policy": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "version",
                  "digest",
                  "appliedBy",
                  "appliedAt",
                  "document"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "version": {
                    "type": "integer",
                    "minimum": 1
                  },
                  "digest": {
                    "type": "string",
                    "pattern": "^sha256:[0-9a-f]{64}$"
                  },
                  "appliedBy": {
                    "type": "string"
                  },
                  "appliedAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "document": {
                    "type": "object"
                  },
                  "logIndex": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "In the answer to an apply that made a new version: the transparency log entry of the server's signature over the document's canonical form (identity `<server>/signet/policies`, issuer `<server>`); the entry is found by the policy's digest through `POST /api/v1/index/retrieve`."
                  }
                }
              },
              "AuditEvents": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "events"
                ],
                "properties": {
                  "events": {
                    "type": "array",
                    "maxItems": 1000,
                    "items": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": [
                        "time",
                        "actor",
                        "action",
                        "subject",
                        "origin",
                        "detail",
                        "namespace"
                      ],
                      "properties": {
                        "time": {
                          "type": "string",
                          "format": "date-time"
                        },
                        "actor": {
                          "type": "string"
                        },
                        "action": {
                          "type": "string"
                        },
                        "subject": {
                          "type": "string"
                        },
                        "origin": {
                          "type": "string"
                        },
                        "detail": {
                          "type": "string"
                        },
                        "namespace": {
                          "type": [
                            "string",
                            "null"
                          ],
                          "description": "The namespace the subject belongs to; null for an event of the instance as a whole."
                        }
                      }
                    }
                  }
                }
              },
              "AdmissionReview": {
                "type": "object",
                "required": [
                  "apiVersion",
                  "kind",
                  "response"
                ],
                "properties": {
                  "apiVersion": {
                    "const": "admission.k8s.io/v1"
                  },
                  "kind": {
                    "const": "AdmissionReview"
                  },
                  "response": {
                    "type": "object",
                    "required": [
                      "uid",
                      "allowed",
                      "status"
                    ],
                    "properties": {
                      "uid": {
                        "type": "string"
                      },
                      "allowed": {
                        "type": "boolean"
                      },
                      "status": {
                        "type": "object"
                      },
                      "warnings": {
                        "type": "array",
                        "items": {
                          "type": "string"
                        }
                      }
                    }
                  }
                }
              },
              "ImageReview": {
                "type": "object",
                "required": [
                  "apiVersion",
                  "kind",
                  "status"
                ],
                "properties": {
                  "apiVersion": {
                    "const": "imagepolicy.k8s.io/v1alpha1"
                  },
                  "kind": {
                    "const": "ImageReview"
                  },
                  "status": {
                    "type": "object",
                    "required": [
                      "allowed",
                      "reason"
                    ],
                    "properties": {
                      "allowed": {
                        "type": "boolean"
                      },
                      "reason": {
                        "type": "string"
                      }
                    }
                  }
                }
              },
              "VerifyBatchRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "environment",
                  "subjects"
                ],
                "properties": {
                  "environment": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 63,
                    "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                    "description": "An environment name as policies write it."
                  },
                  "subjects": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1000,
                    "items": {
                      "type": "string"
                    },
                    "description": "Digest-pinned names or image references."
                  },
                  "explain": {
                    "anyOf": [
                      {
                        "type": "boolean"
                      },
                      {
                        "type": "null"
                      }
                    ],
                    "description": "Also return every check made, for each subject."
                  }
                }
              },
              "BatchDecision": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "environment",
                  "admitted",
                  "refused",
                  "results"
                ],
                "properties": {
                  "environment": {
                    "type": "string"
                  },
                  "admitted": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "refused": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "results": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Decision"
                    }
                  }
                }
              },
              "GateExportRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "environment"
                ],
                "properties": {
                  "environment": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 63,
                    "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                    "description": "An environment name as policies write it."
                  },
                  "names": {
                    "anyOf": [
                      {
                        "type": "array",
                        "maxItems": 10000,
                        "items": {
                          "type": "string"
                        }
                      },
                      {
                        "type": "null"
                      }
                    ],
                    "description": "The subjects to export verdicts on (default: every name with an unrevoked signature)."
                  },
                  "validForSeconds": {
                    "anyOf": [
                      {
                        "type": "integer",
                        "minimum": 60,
                        "maximum": 604800
                      },
                      {
                        "type": "null"
                      }
                    ],
                    "description": "How long the export is valid (default 86400)."
                  }
                }
              },
              "SignedGateExport": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "export",
                  "bundle"
                ],
                "properties": {
                  "export": {
                    "type": "string",
                    "contentEncoding": "base64",
                    "description": "The GateExport's exact bytes."
                  },
                  "bundle": {
                    "$ref": "#/components/schemas/Bundle"
                  }
                }
              },
              "Deployment": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "environment",
                  "name",
                  "namespace",
                  "signature",
                  "source",
                  "actor",
                  "firstSeen",
                  "lastSeen"
                ],
                "properties": {
                  "environment": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  },
                  "namespace": {
                    "type": "string"
                  },
                  "signature": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "source": {
                    "enum": [
                      "gate",
                      "record"
                    ]
                  },
                  "actor": {
                    "type": "string"
                  },
                  "firstSeen": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "lastSeen": {
                    "type": "string",
                    "format": "date-time"
                  }
                }
              },
              "ComplianceAnswer": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "query",
                  "rows"
                ],
                "properties": {
                  "query": {
                    "type": "string"
                  },
                  "rows": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "description": "The query's fields (strings, or null when absent), then `logIndex` and `proof`: the log entry the row rests on (a signature, a revocation, a policy) with its leaf hash and inclusion proof against the signed checkpoint.",
                      "properties": {
                        "logIndex": {
                          "type": [
                            "integer",
                            "null"
                          ]
                        },
                        "proof": {
                          "oneOf": [
                            {
                              "type": "null"
                            },
                            {
                              "type": "object",
                              "additionalProperties": false,
                              "required": [
                                "leafHash",
                                "treeSize",
                                "rootHash",
                                "hashes",
                                "checkpoint"
                              ],
                              "properties": {
                                "leafHash": {
                                  "type": "string"
                                },
                                "treeSize": {
                                  "type": "integer"
                                },
                                "rootHash": {
                                  "type": "string"
                                },
                                "hashes": {
                                  "type": "array",
                                  "items": {
                                    "type": "string"
                                  }
                                },
                                "checkpoint": {
                                  "type": [
                                    "string",
                                    "null"
                                  ]
                                }
                              }
                            }
                          ]
                        }
                      },
                      "additionalProperties": {
                        "type": [
                          "string",
                          "null",
                          "integer",
                          "object"
                        ]
                      }
                    }
                  }
                }
              },
              "ReleaseRequestBody": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "environment"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 512,
                    "pattern": "^[!-~]+@sha256:[0-9a-f]{64}$",
                    "description": "An artifact name pinned by digest: `host[:port]/path@sha256:<64 lower-case hex>` (a tag before the digest is dropped). At most 512 bytes.",
                    "example": "registry.example.com/team/app@sha256:5e6ae9de58c1177bea615b4fcbfb2fd688e8c4b51c2e56b6a38e817833ec24a2"
                  },
                  "environment": {
                    "type": "string",
                    "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
                    "description": "The environment to release to: a policy for it covering the name must require a quorum."
                  },
                  "breakGlass": {
                    "type": "boolean",
                    "description": "Break glass: the quorum's break-glass approvers, its short validity; always audited and alerted. Needs a reason."
                  },
                  "reason": {
                    "type": "string",
                    "maxLength": 1024,
                    "description": "Why (required for break glass), printable text."
                  }
                }
              },
              "ReleaseRequest": {
                "type": "object",
                "required": [
                  "request",
                  "id",
                  "name",
                  "environment",
                  "policy",
                  "requester",
                  "createdAt",
                  "expiresAt",
                  "breakGlass",
                  "roles",
                  "total"
                ],
                "properties": {
                  "request": {
                    "type": "string",
                    "description": "How to name the request: `NAME@sha256:HEX#ID`."
                  },
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9a-f]{32}$"
                  },
                  "name": {
                    "type": "string"
                  },
                  "environment": {
                    "type": "string"
                  },
                  "policy": {
                    "type": "string",
                    "description": "The policy whose quorum the request must meet (recorded with the request, signed and logged by the server as `<server>/signet/release`)."
                  },
                  "requester": {
                    "type": "object",
                    "properties": {
                      "identity": {
                        "type": "string"
                      },
                      "issuer": {
                        "type": "string"
                      }
                    }
                  },
                  "createdAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "expiresAt": {
                    "type": "string",
                    "format": "date-time",
                    "description": "Approvals made later count for nothing; a break-glass release is admitted until then."
                  },
                  "breakGlass": {
                    "type": "boolean"
                  },
                  "reason": {
                    "type": "string"
                  },
                  "roles": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "properties": {
                        "name": {
                          "type": "string"
                        },
                        "min": {
                          "type": "integer"
                        }
                      }
                    }
                  },
                  "total": {
                    "type": "integer"
                  },
                  "logIndex": {
                    "type": "integer",
                    "description": "The log entry of the request's statement."
                  },
                  "status": {
                    "type": "string",
                    "enum": [
                      "open",
                      "approved",
                      "rejected",
                      "expired"
                    ]
                  },
                  "approvals": {
                    "type": "array",
                    "description": "The approvals counted (by the one counting rule, from the approval bundles).",
                    "items": {
                      "type": "object",
                      "properties": {
                        "id": {
                          "type": "string"
                        },
                        "approver": {
                          "type": "string"
                        },
                        "role": {
                          "type": "string"
                        },
                        "decision": {
                          "type": "string",
                          "enum": [
                            "approve",
                            "reject"
                          ]
                        },
                        "time": {
                          "type": "string",
                          "format": "date-time"
                        },
                        "logIndex": {
                          "type": [
                            "integer",
                            "null"
                          ]
                        }
                      }
                    }
                  },
                  "refused": {
                    "type": "array",
                    "description": "Approvals of this request that do not count, and why.",
                    "items": {
                      "type": "object",
                      "properties": {
                        "id": {
                          "type": "string"
                        },
                        "reason": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "missing": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "What the quorum still lacks, e.g. `security: 1 more`."
                  }
                }
              },
              "ReleaseList": {
                "type": "object",
                "required": [
                  "name",
                  "requests"
                ],
                "properties": {
                  "name": {
                    "type": "string"
                  },
                  "requests": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/ReleaseRequest"
                    }
                  }
                }
              },
              "ApprovalRequest": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "request",
                  "bundle"
                ],
                "properties": {
                  "request": {
                    "type": "string",
                    "maxLength": 600,
                    "description": "The request: `NAME@sha256:HEX#ID`."
                  },
                  "bundle": {
                    "$ref": "#/components/schemas/Bundle",
                    "description": "The approver's bundle: an in-toto statement (`https://signet.dev/approval/v1`: request, role, decision, justification) about the name's digest, in a DSSE envelope, logged, signed with the approver's own certificate or key."
                  }
                }
              },
              "ApprovalResult": {
                "type": "object",
                "required": [
                  "request",
                  "counted",
                  "decision",
                  "status",
                  "missing"
                ],
                "properties": {
                  "request": {
                    "type": "string"
                  },
                  "counted": {
                    "type": "boolean"
                  },
                  "decision": {
                    "type": "string",
                    "enum": [
                      "approve",
                      "reject"
                    ]
                  },
                  "status": {
                    "type": "string",
                    "enum": [
                      "open",
                      "approved",
                      "rejected",
                      "expired"
                    ]
                  },
                  "missing": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "quorumAttestation": {
                    "type": "object",
                    "description": "When this approval completed the quorum: the server's quorum attestation (`https://signet.dev/quorum/v1`, listing the approvals' log entries), registered under the name.",
                    "properties": {
                      "logIndex": {
                        "type": "integer"
                      }
                    }
                  }
                }
              }
            },
            "responses": {
              "BodyTooLarge": {
                "description": "The body is larger than the endpoint's limit. Stable codes: `body-too-large`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Error"
                        }
                      ],
                      "properties": {
                        "error": {
                          "enum": [
                            "body-too-large"
                          ]
                        }
                      }
                    }
                  }
                }
              },
              "UnsupportedMediaType": {
                "description": "The Content-Type is not the one the endpoint reads. Stable codes: `unsupported-media-type`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Error"
                        }
                      ],
                      "properties": {
                        "error": {
                          "enum": [
                            "unsupported-media-type"
                          ]
                        }
                      }
                    }
                  }
                }
              },
              "Credential": {
                "description": "A credential is needed and is missing, or is present and not valid. Stable codes: `missing-credential`, `invalid-api-key`, `unknown-api-key`, `api-key-revoked`, `api-key-expired`, `malformed-token`, `unknown-issuer`, `unsupported-algorithm`, `unknown-key`, `bad-signature`, `wrong-audience`, `expired`, `missing-claim`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/Error"
                        }
                      ],
                      "properties": {
                        "error": {
                          "enum": [
                            "missing-credential",
                            "invalid-api-key",
                            "unknown-api-key",
                            "api-key-revoked",
                            "api-key-expired",
                            "malformed-token",
                            "unknown-issuer",
                            "unsupported-algorithm",
                            "unknown-key",
                            "bad-signature",
                            "wrong-audience",
                            "expired",
                            "missing-claim"
                          ]
                        }
                      }
                    }
                  }
                }
              },
              "HTML": {
                "description": "A web UI page.",
                "content": {
                  "text/html": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              }
            },
            "securitySchemes": {
              "oidcToken": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "An OIDC identity token (compact JWS) from an issuer the server trusts: checked for signature, `aud`, `exp`/`nbf`/`iat` and a known `kid`."
              },
              "apiKey": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "signet_<16 hex>_<43 base64url>",
                "description": "An API key issued by `signet admin api-key create`, sent as `Authorization: Bearer signet_<id>_<secret>`; it acts in its own namespace with its scopes."
              }
            }
          }
        }
        """#
}

extension SignetServices {
    /// `GET /api/openapi.json`: the document.
    func addOpenAPIRoutes(to routes: AccessRoutes) {
        let bytes = Array(OpenAPIDocument.json.utf8)
        routes.open(.get, "/api/openapi.json") { _, _ in
            Response.bytes(bytes, contentType: "application/json")
        }
    }
}

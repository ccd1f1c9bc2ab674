// The PKCS #11 declarations are in include/CPKCS11.h; the module itself is loaded at run time.

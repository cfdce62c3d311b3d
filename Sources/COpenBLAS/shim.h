// OpenBLAS CBLAS interface (Debian: libopenblas-dev installs /usr/include/<triplet>/cblas.h).
#ifndef MLPLANE_COPENBLAS_SHIM_H
#define MLPLANE_COPENBLAS_SHIM_H
#include <cblas.h>
#endif

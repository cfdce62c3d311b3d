// Header-only shims; SwiftPM needs one source file per C target.
#include "CVectorIndexShims.h"

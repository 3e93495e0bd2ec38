// libxml2 for Swift. Debian builds libxml2 with ICU, whose UErrorCode clashes with the ICU that
// Foundation bundles; libxml2's public API does not need ICU, so its switch is turned off here.
#ifndef FERRY_CLIBXML2_SHIM_H
#define FERRY_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>

/// `xmlFree` is a global function-pointer variable, which Swift 6 rejects as not concurrency-safe.
static inline void ferry_xml_free(void *pointer) {
    xmlFree(pointer);
}

/// Swallows libxml2's diagnostics instead of printing them to stderr; parse errors are read from the context.
static inline void ferry_xml_silence(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

static inline void ferry_xml_install_silent_handlers(void) {
    xmlSetGenericErrorFunc(NULL, ferry_xml_silence);
}

#endif

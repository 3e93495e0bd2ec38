// libxml2 for Swift. Debian builds libxml2 with ICU, whose UErrorCode clashes with the ICU that
// Foundation bundles; libxml2's public API does not need ICU, so its switch is turned off here.
#ifndef FERRY_CLIBXML2_SHIM_H
#define FERRY_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <limits.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
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

/// The structured-error twin of `ferry_xml_silence`, for contexts that take an `xmlStructuredErrorFunc`.
static inline void ferry_xml_structured_silence(void *context, xmlErrorPtr error) {
    (void)context;
    (void)error;
}

static inline void ferry_xml_install_silent_handlers(void) {
    xmlSetGenericErrorFunc(NULL, ferry_xml_silence);
}

/// The external entity loader Ferry installs: it loads nothing, ever (no DTDs, no `SYSTEM` entities,
/// no network), so XXE cannot read a file or reach a host whatever a document declares.
static inline xmlParserInputPtr ferry_xml_refuse_entity(const char *url, const char *identifier, xmlParserCtxtPtr context) {
    (void)url;
    (void)identifier;
    (void)context;
    return NULL;
}

static inline void ferry_xml_refuse_external_entities(void) {
    xmlSetExternalEntityLoader(ferry_xml_refuse_entity);
}

/// Silences an XPath context's own error reports (they are read from `lastError` instead).
static inline void ferry_xpath_silence(xmlXPathContextPtr context) {
    context->error = ferry_xml_structured_silence;
}

/// Turns on libxml2's XPath operation counting with no effective limit, so that a later
/// `ferry_xpath_interrupt` can stop the evaluation at its next operation.
static inline void ferry_xpath_arm(xmlXPathContextPtr context) {
    context->opCount = 0;
    context->opLimit = ULONG_MAX;
}

/// Called from the query watchdog's thread while another thread evaluates: the evaluator's next
/// operation-limit check fails with XPATH_OP_LIMIT_EXCEEDED and the evaluation unwinds. The store is
/// a single aligned word; libxml2 reloads it after every opaque call, so it is seen within one step.
static inline void ferry_xpath_interrupt(xmlXPathContextPtr context) {
    __atomic_store_n(&context->opLimit, 1UL, __ATOMIC_RELAXED);
}

/// libxml2's code for "the XPath operation limit was exceeded", as stored in `lastError.code`.
static inline int ferry_xpath_op_limit_error_code(void) {
    return XML_XPATH_EXPRESSION_OK + XPATH_OP_LIMIT_EXCEEDED;
}

#endif

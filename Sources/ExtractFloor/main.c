// extract-floor: the C floor for `ferry bench extract`.
//
// Does the work Ferry's table reader does, with libxml2 and nothing else, so the benchmark can say how
// far above the library's own cost Ferry runs: read the page into memory, htmlReadMemory with the
// options Ferry uses, one XPath for the rows of the table, then a walk of each row's cells taking
// each cell's text (xmlNodeGetContent), kept until the document is freed, as a record would be.
//
// Each measured round starts from a trimmed heap (malloc_trim): after a 600,000-node document is freed,
// glibc's fastbin state swings the next parse by ±40%, and `ferry bench extract` trims before Ferry's
// rounds too, so both sides start alike.
//
// Usage: extract-floor FILE [--rounds N] [--warmup N] [--rows XPATH]
// Prints one machine-readable line per measured round, then a human summary:
//   round=1 bytes=5604052 rows=29000 cells=174000 parse_ns=190000000 total_ns=220000000
//   floor: 26.1 MB/s parse, 23.4 MB/s and 126000 rows/s end to end (median of N)
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void silent(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

static long long now_ns(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return (long long)time.tv_sec * 1000000000LL + time.tv_nsec;
}

static int compare(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

typedef struct {
    long long parse_ns;
    long long total_ns;
    int rows;
    long cells;
} Round;

static int is_cell(xmlNodePtr node) {
    return node->type == XML_ELEMENT_NODE && node->name != NULL &&
           (strcmp((const char *)node->name, "td") == 0 || strcmp((const char *)node->name, "th") == 0);
}

static int run(const char *bytes, int length, const char *rows_xpath, Round *round) {
    long long start = now_ns();
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_COMPACT;
    htmlDocPtr doc = htmlReadMemory(bytes, length, "bench.html", NULL, options);
    if (doc == NULL) return -1;
    long long parsed = now_ns();

    xmlXPathContextPtr context = xmlXPathNewContext(doc);
    xmlXPathObjectPtr result = xmlXPathEvalExpression((const xmlChar *)rows_xpath, context);
    if (result == NULL || result->nodesetval == NULL) return -1;
    int row_count = result->nodesetval->nodeNr;
    // Every cell's text is kept, as a record keeps it, and freed with the rest at the end.
    long capacity = (long)row_count * 8 + 8, cells = 0;
    xmlChar **texts = malloc(sizeof(xmlChar *) * capacity);
    for (int index = 0; index < row_count; index++) {
        for (xmlNodePtr cell = result->nodesetval->nodeTab[index]->children; cell != NULL; cell = cell->next) {
            if (!is_cell(cell)) continue;
            if (cells == capacity) {
                capacity *= 2;
                texts = realloc(texts, sizeof(xmlChar *) * capacity);
            }
            texts[cells++] = xmlNodeGetContent(cell);
        }
    }
    long long finished = now_ns();

    for (long index = 0; index < cells; index++) xmlFree(texts[index]);
    free(texts);
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(context);
    xmlFreeDoc(doc);
    round->parse_ns = parsed - start;
    round->total_ns = finished - start;
    round->rows = row_count;
    round->cells = cells;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: extract-floor FILE [--rounds N] [--warmup N] [--rows XPATH]\n");
        return 2;
    }
    int rounds = 5, warmup = 1;
    const char *rows_xpath = "//table[@id='data']/tbody/tr";
    for (int index = 2; index + 1 < argc; index += 2) {
        if (strcmp(argv[index], "--rounds") == 0) rounds = atoi(argv[index + 1]);
        else if (strcmp(argv[index], "--warmup") == 0) warmup = atoi(argv[index + 1]);
        else if (strcmp(argv[index], "--rows") == 0) rows_xpath = argv[index + 1];
    }
    if (rounds < 1) rounds = 1;

    FILE *file = fopen(argv[1], "rb");
    if (file == NULL) {
        fprintf(stderr, "extract-floor: cannot open %s\n", argv[1]);
        return 1;
    }
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    rewind(file);
    char *bytes = malloc(length > 0 ? length : 1);
    if (fread(bytes, 1, length, file) != (size_t)length) {
        fprintf(stderr, "extract-floor: cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(file);

    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, silent);
    Round round;
    for (int index = 0; index < warmup; index++) {
        if (run(bytes, (int)length, rows_xpath, &round) != 0) {
            fprintf(stderr, "extract-floor: no rows for %s\n", rows_xpath);
            return 1;
        }
    }
    long long *parse = malloc(sizeof(long long) * rounds), *total = malloc(sizeof(long long) * rounds);
    for (int index = 0; index < rounds; index++) {
#ifdef __GLIBC__
        malloc_trim(0);
#endif
        if (run(bytes, (int)length, rows_xpath, &round) != 0) return 1;
        parse[index] = round.parse_ns;
        total[index] = round.total_ns;
        printf("round=%d bytes=%ld rows=%d cells=%ld parse_ns=%lld total_ns=%lld\n", index + 1, length, round.rows,
               round.cells, round.parse_ns, round.total_ns);
    }
    qsort(parse, rounds, sizeof(long long), compare);
    qsort(total, rounds, sizeof(long long), compare);
    double megabytes = (double)length / 1e6;
    printf("floor: %.1f MB/s parse, %.1f MB/s and %.0f rows/s end to end (median of %d)\n",
           megabytes / (parse[rounds / 2] / 1e9), megabytes / (total[rounds / 2] / 1e9),
           round.rows / (total[rounds / 2] / 1e9), rounds);
    free(parse);
    free(total);
    free(bytes);
    return 0;
}

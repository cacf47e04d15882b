/* HTML pieces of the lab report (query/report.h): escaped text, tables, inline SVG. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "query/report.h"

void sr_html_text(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
}

/* Rewrites one attribute prefix: where svg (at p) starts with `from`, writes `to` instead. */
static int rewrite(FILE *f, const char **p, const char *from, const char *to, int index)
{
    size_t n = strlen(from);
    if (strncmp(*p, from, n) != 0)
        return 0;
    fprintf(f, "%sp%d-", to, index);
    *p += n;
    return 1;
}

sr_code sr_html_svg(FILE *f, const char *svg, int index, sr_err *err)
{
    const char *p = strstr(svg, "<svg");
    const char *open_end = p ? strchr(p, '>') : NULL;
    if (!open_end)
        return sr_err_set(err, SR_ERR_FORMAT, "a plot's SVG has no <svg> element");
    /* the opening tag without its fixed width and height: the page's CSS sizes it */
    fputs("<svg", f);
    for (const char *q = p + 4; q < open_end;) {
        const char *attr = q + strspn(q, " \n");
        const char *end = strchr(attr, '"');
        end = end ? strchr(end + 1, '"') : NULL;
        if (!end || end > open_end)
            break;
        if (strncmp(attr, "width=", 6) != 0 && strncmp(attr, "height=", 7) != 0)
            fprintf(f, " %.*s", (int)(end + 1 - attr), attr);
        q = end + 1;
    }
    fputs(" role=\"img\">", f);
    for (const char *q = open_end + 1; *q;) {
        if (rewrite(f, &q, "id=\"", "id=\"", index) || rewrite(f, &q, "href=\"#", "href=\"#", index) ||
            rewrite(f, &q, "url(#", "url(#", index))
            continue;
        fputc(*q++, f);
    }
    fputc('\n', f);
    return SR_OK;
}

void sr_html_table(FILE *f, const char *const *heads, const char *const *tips, int n)
{
    fputs("<table>\n<thead><tr>", f);
    for (int i = 0; i < n; i++) {
        fputs("<th", f);
        if (tips && tips[i]) {
            fputs(" title=\"", f);
            sr_html_text(f, tips[i]);
            fputc('"', f);
        }
        fputc('>', f);
        sr_html_text(f, heads[i]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
}

void sr_html_row(FILE *f)
{
    fputs("<tr>", f);
}

void sr_html_cell(FILE *f, const char *text)
{
    fputs("<td>", f);
    sr_html_text(f, text);
    fputs("</td>", f);
}

void sr_html_cell_num(FILE *f, const char *fmt, double v)
{
    fputs("<td class=\"n\">", f);
    if (isfinite(v) && fmt)
        fprintf(f, fmt, v);
    fputs("</td>", f);
}

void sr_html_cell_pct(FILE *f, double v)
{
    sr_html_cell_num(f, "%+.1f%%", 100 * v);
}

void sr_html_row_end(FILE *f)
{
    fputs("</tr>\n", f);
}

void sr_html_table_end(FILE *f)
{
    fputs("</tbody>\n</table>\n", f);
}

/* Splitting one line of CSV (RFC 4180 quoting, without line breaks inside a field), for the
 * readers of network tables and accuracy files. libc only. */
#ifndef SR_CSV_H
#define SR_CSV_H

/* Strips spaces, tabs and a trailing '\r' in place; returns the start. */
char *sr_csv_trim(char *s);

/* Splits line in place at commas into fields[0..max); a field may be double-quoted ("" is
 * a quote inside); fields are trimmed. Returns the number of fields, or -1 with *why set
 * ("too many fields", "unterminated quoted field", ...). */
int sr_csv_split(char *line, char **fields, int max, const char **why);

#endif

// Shim for libpq: the header plus the constants that Swift cannot import.
//
// libpq defines the error-field codes (PG_DIAG_*) as character-literal macros,
// which the Clang importer drops. They are re-exported here as constants.
#ifndef LICTRACK_CLIBPQ_SHIM_H
#define LICTRACK_CLIBPQ_SHIM_H

#include <libpq-fe.h>

static const int LTPQ_DIAG_SEVERITY = PG_DIAG_SEVERITY;
static const int LTPQ_DIAG_SEVERITY_NONLOCALIZED = PG_DIAG_SEVERITY_NONLOCALIZED;
static const int LTPQ_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int LTPQ_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
static const int LTPQ_DIAG_MESSAGE_DETAIL = PG_DIAG_MESSAGE_DETAIL;
static const int LTPQ_DIAG_MESSAGE_HINT = PG_DIAG_MESSAGE_HINT;
static const int LTPQ_DIAG_STATEMENT_POSITION = PG_DIAG_STATEMENT_POSITION;
static const int LTPQ_DIAG_CONTEXT = PG_DIAG_CONTEXT;
static const int LTPQ_DIAG_SCHEMA_NAME = PG_DIAG_SCHEMA_NAME;
static const int LTPQ_DIAG_TABLE_NAME = PG_DIAG_TABLE_NAME;
static const int LTPQ_DIAG_COLUMN_NAME = PG_DIAG_COLUMN_NAME;
static const int LTPQ_DIAG_DATATYPE_NAME = PG_DIAG_DATATYPE_NAME;
static const int LTPQ_DIAG_CONSTRAINT_NAME = PG_DIAG_CONSTRAINT_NAME;

#endif

import { describeColumns } from '#platform/csv/csv-columns';
import { ACCESS_REPORT_USAGE } from '../compliance/compliance.cli.js';
import { CUSTOMER_COLUMNS } from '../import-export/customer-csv.js';
import { ORDER_COLUMNS } from '../import-export/order-csv.js';
import { TRUST_USAGE } from '../network/network.cli.js';
import { ALL_ROLES } from '../users/role.js';

/** The first lines of the CLI's help. */
export const USAGE_HEADER = `Concordia — the operator's command-line tool

Usage: concordia <command> [options]

`;

/** The partner node's commands, as the help lists them. */
export const NODE_USAGE = `Partner node commands (on the node's database, from its environment):
  start                                 Start the partner node server (migrations run at start
                                        unless RUN_MIGRATIONS=false)
  migrate                               Apply the pending database migrations
  create-user --email <e-mail> --name <name> --roles <role,role>
                                        Create a user (roles: ${ALL_ROLES.join(', ')}); the password is
                                        read from CONCORDIA_PASSWORD, or asked for
  import-customers <file.csv> [--skip-invalid] [--check] [--report <problems.csv>] [--json]
                                        Import customers (upsert by external_id)
  import-orders <file.csv> [--skip-invalid] [--check] [--report <problems.csv>] [--json]
                                        Import orders, one row per order line (upsert by order_external_id)
  import-consents <file.csv> --notice <privacy notice id> [--json]
                                        Import consents the customers already gave (all or nothing):
                                        each signed, stored, ledgered and registered with the
                                        federation per recipient
  export-customer <id> [--external-id] [--out <file.json>]
                                        Print everything held about one customer as JSON
${TRUST_USAGE}
${ACCESS_REPORT_USAGE}
  export-ledger --out <file.json> [--from <seq>] [--to <size>]
                                        Sign a checkpoint of the node's ledger and export entries
                                        [from, to) with checkpoints, proofs and keys, for verify-ledger
  verify-ledger <export.json> [--keys <jwks.json>]
                                        Verify a ledger export offline (no database, no network):
                                        entries, leaf hashes, roots, signatures, consistency;
                                        --keys pins the accepted keys (e.g. the federation's directory)`;

/** The help's last lines: `help` itself and how imports, databases and exit codes behave. */
export const USAGE_FOOTER = `  help [csv]                            This help; "help csv" describes the CSV columns

Imports are all or nothing: when any row is bad, every bad row is listed with its line number and
nothing is written (exit code 1). With --skip-invalid the good rows are imported and the bad ones
listed (exit code 0). Re-importing a file changes nothing.

The database is the node's: DATABASE_URL, or the embedded one in DATA_DIR (default .data/partner-node);
an embedded database is used by one process at a time, so stop the node before using the CLI on it.
Exit codes: 0 done, 1 failed or refused, 2 wrong usage.`;

/** The node's help (the `concordia` CLI of apps/cli adds the federation's commands). */
export const USAGE = `${USAGE_HEADER}${NODE_USAGE}\n\n${USAGE_FOOTER}`;

/** `help csv`: the columns of the customers and orders CSV files. */
export const CSV_HELP = `Customers CSV (UTF-8, comma-separated, header line, one customer per line):

${describeColumns(CUSTOMER_COLUMNS)}

Orders CSV (one row per order line; rows with the same order_external_id form one order, and its
order-level columns must be equal on each of them; totals are computed by the server):

${describeColumns(ORDER_COLUMNS)}`;

// Prints the rows of a Parquet file as JSON, read by hyparquet (an independent reader, in
// JavaScript): dates and timestamps as ISO 8601 strings, 64-bit integers as numbers.
// Used by gongshi's snapshot tests: node .ci/parquet-rows.mjs FILE
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const file = await asyncBufferFromFile(process.argv[2])
const rows = await parquetReadObjects({ file, compressors })
process.stdout.write(JSON.stringify(rows, (k, v) => typeof v === 'bigint' ? Number(v) : v))

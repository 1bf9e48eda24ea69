// Validate RDF files with shacl-engine, print the SHACL validation report as Turtle.
// node shacl-engine.mjs SHAPES.ttl... -- DATA.ttl...   (exit 0 conforms, 1 does not)
import { readFileSync } from 'node:fs'
import { DataFactory, Parser, Store, Writer } from 'n3'
import { Validator } from 'shacl-engine'
import { validations } from 'shacl-engine/sparql.js'

const factory = { ...DataFactory, dataset: quads => new Store(quads) }
const read = files => new Store(files.flatMap(file => new Parser().parse(readFileSync(file, 'utf8'))))
const args = process.argv.slice(2)
const split = args.indexOf('--')
if (split < 1 || split === args.length - 1) {
  console.error('usage: node shacl-engine.mjs SHAPES.ttl... -- DATA.ttl...')
  process.exit(2)
}
const validator = new Validator(read(args.slice(0, split)), { factory, validations })
const report = await validator.validate({ dataset: read(args.slice(split + 1)) })
const writer = new Writer({ prefixes: { sh: 'http://www.w3.org/ns/shacl#' } })
writer.addQuads([...report.dataset])
writer.end((error, text) => {
  if (error) throw error
  process.stdout.write(text)
  process.exitCode = report.conforms ? 0 : 1
})

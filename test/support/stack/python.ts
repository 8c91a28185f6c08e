import { requireBinary, run, StackError } from './process.js';

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  /** NaN and ±Infinity come through as such. */
  value: number;
  /** Seconds since the epoch, when the line carries a timestamp. */
  timestamp?: number;
  exemplar?: { labels: Record<string, string>; value: number; timestamp?: number };
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  /** Always '' from the text parser. */
  unit: string;
  samples: ParsedSample[];
}

// Turns the parser's families into JSON; non-finite numbers travel as strings because JSON has none.
const SCRIPT = `
import json, math, sys
try:
    if sys.argv[1] == 'openmetrics':
        from prometheus_client.openmetrics.parser import text_string_to_metric_families
    else:
        from prometheus_client.parser import text_string_to_metric_families
except ImportError as error:
    print(error, file=sys.stderr)
    sys.exit(3)

def number(value):
    value = float(value)
    if math.isnan(value):
        return 'NaN'
    if math.isinf(value):
        return '+Inf' if value > 0 else '-Inf'
    return value

def optional(value):
    return None if value is None else number(value)

def sample(s):
    exemplar = s.exemplar and {'labels': s.exemplar.labels, 'value': number(s.exemplar.value),
                               'timestamp': optional(s.exemplar.timestamp)}
    return {'name': s.name, 'labels': s.labels, 'value': number(s.value),
            'timestamp': optional(s.timestamp), 'exemplar': exemplar}

try:
    families = [{'name': f.name, 'type': f.type, 'help': f.documentation, 'unit': f.unit,
                 'samples': [sample(s) for s in f.samples]}
                for f in text_string_to_metric_families(sys.stdin.read())]
except Exception as error:
    print(f'{type(error).__name__}: {error}', file=sys.stderr)
    sys.exit(2)
print(json.dumps(families))
`;

type Wire = number | 'NaN' | '+Inf' | '-Inf';
type WireSample = Omit<ParsedSample, 'value' | 'timestamp' | 'exemplar'> & {
  value: Wire;
  timestamp: Wire | null;
  exemplar: { labels: Record<string, string>; value: Wire; timestamp: Wire | null } | null;
};
type WireFamily = Omit<ParsedFamily, 'samples'> & { samples: WireSample[] };

const fromWire = (value: Wire): number =>
  value === 'NaN' ? Number.NaN : value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : value;

function toSample(wire: WireSample): ParsedSample {
  const sample: ParsedSample = { name: wire.name, labels: wire.labels, value: fromWire(wire.value) };
  if (wire.timestamp !== null) sample.timestamp = fromWire(wire.timestamp);
  if (wire.exemplar) {
    const { labels, value, timestamp } = wire.exemplar;
    sample.exemplar = { labels, value: fromWire(value) };
    if (timestamp !== null) sample.exemplar.timestamp = fromWire(timestamp);
  }
  return sample;
}

/**
 * The python3 that sees Debian's python3-prometheus-client. A python3 found first on PATH (pyenv,
 * a virtualenv) usually does not; PROMENADE_PYTHON overrides.
 */
const python = () => process.env.PROMENADE_PYTHON ?? '/usr/bin/python3';

/**
 * Parses an exposition page with the official Python client's parser: `text` is
 * prometheus_client.parser (format 0.0.4), `openmetrics` is the strict
 * prometheus_client.openmetrics.parser. Throws a StackError carrying the parser's message.
 */
export async function parseWithPython(text: string, format: 'text' | 'openmetrics'): Promise<ParsedFamily[]> {
  const binary = requireBinary(python(), 'python3');
  const result = await run(binary, ['-c', SCRIPT, format], { input: text });
  const message = result.stderr.trim();
  if (result.exitCode === 3) {
    throw new StackError(
      `stack: ${binary} cannot import prometheus_client (${message}); install Debian package python3-prometheus-client (scripts/stack/install.sh)`,
    );
  }
  if (result.exitCode !== 0) {
    throw new StackError(`stack: the Python ${format} parser rejected the page: ${message}`);
  }
  return (JSON.parse(result.stdout) as WireFamily[]).map((family) => ({
    ...family,
    samples: family.samples.map(toSample),
  }));
}

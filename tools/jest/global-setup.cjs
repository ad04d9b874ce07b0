// Integration tests need the local infrastructure. `npm test` starts it first (tools/dev/test.ts);
// this guard gives a direct `npx jest` run the same clear message instead of a wall of connection errors.
const net = require('node:net');
function probe(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 1500 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}
module.exports = async () => {
  process.env.TZ = 'UTC';
  const kafka = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',')[0];
  const [kh, kp] = kafka.split(':');
  const checks = [
    ['MariaDB', process.env.DB_HOST || '127.0.0.1', Number(process.env.DB_PORT || 3306)],
    ['Redis', '127.0.0.1', 6379],
    ['Kafka', kh, Number(kp)],
  ];
  const down = [];
  for (const [name, host, port] of checks)
    if (!(await probe(host, port))) down.push(`${name} (${host}:${port})`);
  if (down.length && process.env.TEST_INFRA !== 'containers') {
    throw new Error(
      `Integration tests need ${down.join(', ')}. Run \`npm run infra:up\` first, or use \`npm test\`, which does it for you.`,
    );
  }
};

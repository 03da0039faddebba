// Sends COUNT small transactions between the first two accounts of the node at
// URL and prints their hashes, one per line: the demo's work for tx_watch.
//   node send-transactions.js URL COUNT
const [url, count = "3"] = process.argv.slice(2);

async function rpc(method, params = []) {
  const reply = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await reply.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

(async () => {
  const [from, to] = await rpc("eth_accounts");
  for (let i = 1; i <= Number(count); i++) {
    console.log(await rpc("eth_sendTransaction", [{ from, to, value: "0x" + i.toString(16) }]));
  }
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});

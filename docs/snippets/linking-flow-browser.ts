// Code of docs/linking-flow.md: the front end, with Plaid's Link script
// (<script src="https://cdn.plaid.com/link/v2/stable/link-initialize.js">), which defines `Plaid`.
// Only the parts of Link's API this page uses are declared here. test/docs/docs-snippets-run.test.ts
// runs `connectBank` in Node with a stand-in for that global (a Link that "succeeds" at once with a
// public token of the fake Plaid) and a `fetch` that serves the two routes with linking-flow.ts.
declare const Plaid: {
  create(config: {
    token: string;
    onSuccess: (
      publicToken: string,
      metadata: { institution: { institution_id: string; name: string } | null },
    ) => void;
    onExit?: (error: { error_code: string; display_message: string | null } | null) => void;
  }): { open(): void; destroy(): void };
};

// #region browser
async function connectBank(): Promise<void> {
  const response = await fetch('/plaid/link-token', { method: 'POST' });
  const { linkToken } = (await response.json()) as { linkToken: string };
  const handler = Plaid.create({
    token: linkToken,
    onSuccess: async (publicToken) => {
      // Send the public token to your server at once: it expires after 30 minutes.
      await fetch('/plaid/exchange', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ publicToken }),
      });
    },
    onExit: (error) => {
      if (error) console.warn('Link closed:', error.error_code, error.display_message);
    },
  });
  handler.open();
}

// #endregion

export { connectBank };

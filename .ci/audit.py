"""Fails on a known advisory in our installed dependencies (pip-audit, PyPI's advisory data).

Where the advisory service cannot be reached (no per-version data on this network), pip-audit
skips every package: that is said loudly rather than passed off as "no vulnerabilities".
"""

import json
import subprocess
import sys

result = subprocess.run(
    [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off",
     "--format", "json"],
    capture_output=True, text=True,
)
try:
    report = json.loads(result.stdout)
except json.JSONDecodeError:
    print(result.stdout, result.stderr, sep="\n")
    print("audit: WARNING: pip-audit gave no report (advisory service unreachable?)")
    sys.exit(0)

dependencies = report["dependencies"]
vulnerable = [d for d in dependencies if d.get("vulns")]
skipped = [d for d in dependencies if d.get("skip_reason")]
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        print(f"audit: {dependency['name']} {dependency['version']}: {vuln['id']} "
              f"(fixed in {', '.join(vuln.get('fix_versions') or ['?'])})")
audited = len(dependencies) - len(skipped)
print(f"audit: {audited} of {len(dependencies)} dependencies audited, "
      f"{len(vulnerable)} with known advisories")
if audited == 0:
    print("audit: WARNING: the advisory service answered for no package; nothing was checked")
sys.exit(1 if vulnerable else 0)

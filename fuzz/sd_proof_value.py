"""atheris fuzz target ``sd_proof_value`` (see fuzz/targets.py); run it through fuzz/run.py."""

import atheris

# vcbadge is imported inside the instrumentation context (targets imports vcbadge.errors), so
# that coverage guides the fuzzer through vcbadge's own code.
with atheris.instrument_imports(include=["vcbadge"]):
    from targets import atheris_main

if __name__ == "__main__":
    atheris_main("sd_proof_value")

#!/usr/bin/env python3
"""Makes the GPT-2 reference fixture that GristTrain's tests compare with (CI needs no Python).

A small random GPT-2 (Hugging Face `transformers`' GPT2LMHeadModel on torch CPU, built offline from a
GPT2Config, no download) is saved as a Hugging Face folder, together with a batch of tokens and what
the model computes on it: logits, the mean next-token cross-entropy, and the gradients of a few
parameters (Hugging Face names and layouts, i.e. Conv1D weights are (in, out)).

Usage (from the repository root; runs itself in .venv-bench/, made by scripts/toolenv from
scripts/reference/requirements-torch.txt if needed):
    python3 scripts/reference/make_gpt2_reference.py [OUTPUT_DIR]
Default OUTPUT_DIR: Tests/GristTrainTests/Fixtures/gpt2-reference
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "toolenv"))
import toolenv  # noqa: E402

ROOT = toolenv.REPO


def main():
    toolenv.ensure(["torch", "transformers", "safetensors"], "scripts/reference/requirements-torch.txt")
    import torch
    import torch.nn.functional as F
    from safetensors.torch import save_file
    from transformers import GPT2Config, GPT2LMHeadModel

    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests/GristTrainTests/Fixtures/gpt2-reference")
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(20240520)
    # Vocabulary not a multiple of 128 (so the trainer pads it), two layers, two heads.
    config = GPT2Config(vocab_size=97, n_positions=16, n_embd=32, n_layer=2, n_head=2,
                        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    model = GPT2LMHeadModel(config)
    model.config._attn_implementation = "eager"
    # GPT-2's own init (std 0.02) gives near-uniform logits; larger random values make the check sharper.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name.endswith("ln_f.weight"):
                p.copy_(1 + 0.1 * torch.randn_like(p))
            elif p.dim() == 1:
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    model.eval()
    model.save_pretrained(os.path.join(out, "model"))

    B, T = 2, 8
    sequence = torch.randint(0, config.vocab_size, (B, T + 1))
    inputs, targets = sequence[:, :T], sequence[:, 1:]
    logits = model(inputs).logits
    loss = F.cross_entropy(logits.reshape(-1, config.vocab_size), targets.reshape(-1))
    loss.backward()
    named = dict(model.named_parameters())
    grads = {
        "grad.wte.weight": named["transformer.wte.weight"].grad,
        "grad.wpe.weight": named["transformer.wpe.weight"].grad,
        "grad.h.0.attn.c_attn.weight": named["transformer.h.0.attn.c_attn.weight"].grad,
        "grad.h.0.ln_1.weight": named["transformer.h.0.ln_1.weight"].grad,
        "grad.h.1.mlp.c_fc.bias": named["transformer.h.1.mlp.c_fc.bias"].grad,
        "grad.h.1.mlp.c_proj.weight": named["transformer.h.1.mlp.c_proj.weight"].grad,
        "grad.ln_f.bias": named["transformer.ln_f.bias"].grad,
    }
    tensors = {"tokens": inputs.to(torch.int64).contiguous(), "targets": targets.to(torch.int64).contiguous(),
               "logits": logits.detach().contiguous(), "loss": loss.detach().reshape(1)}
    tensors.update({k: v.detach().contiguous() for k, v in grads.items()})
    save_file(tensors, os.path.join(out, "expected.safetensors"),
              metadata={"torch": torch.__version__, "transformers": __import__("transformers").__version__})
    print(f"wrote {out}: loss {loss.item():.6f}, torch {torch.__version__}")


if __name__ == "__main__":
    main()

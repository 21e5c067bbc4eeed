"""GPT-2 architecture, exactly as the browser runtime implements it (nanoGPT-style).

Shapes: B batch, T positions, D = n_embd, H = n_head, hd = D / H, V = vocab.
Pre-LayerNorm blocks, learned absolute positions, tanh-approximated GELU ("gelu_new"),
LayerNorm eps 1e-5, biases everywhere except lm_head. Tied variant: lm_head.weight is wte.weight.
nn.Linear stores [out, in]; export.py transposes to HF's Conv1D [in, out] layout.
"""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, vocab_size=4096, n_positions=128, n_embd=128, n_layer=4, n_head=4, tied=True):
        self.vocab_size, self.n_positions, self.n_embd = vocab_size, n_positions, n_embd
        self.n_layer, self.n_head, self.tied = n_layer, n_head, tied

    def to_dict(self):
        return dict(self.__dict__)


class CausalSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_head = c.n_head
        self.c_attn = nn.Linear(c.n_embd, 3 * c.n_embd)   # [D] -> [3D]  (q | k | v)
        self.c_proj = nn.Linear(c.n_embd, c.n_embd)       # [D] -> [D]
        self.register_buffer('mask', torch.tril(torch.ones(c.n_positions, c.n_positions, dtype=torch.bool)), persistent=False)

    def forward(self, x):                                  # x [B, T, D]
        B, T, D = x.shape
        q, k, v = self.c_attn(x).split(D, dim=2)           # each [B, T, D]
        hd = D // self.n_head
        q = q.view(B, T, self.n_head, hd).transpose(1, 2)  # [B, H, T, hd]
        k = k.view(B, T, self.n_head, hd).transpose(1, 2)
        v = v.view(B, T, self.n_head, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)    # [B, H, T, T]
        att = att.masked_fill(~self.mask[:T, :T], float('-inf'))
        att = F.softmax(att, dim=-1)
        y = att @ v                                        # [B, H, T, hd]
        y = y.transpose(1, 2).contiguous().view(B, T, D)   # [B, T, D]
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c.n_embd, 4 * c.n_embd)      # [D] -> [4D]
        self.act = nn.GELU(approximate='tanh')             # GPT-2's gelu_new
        self.c_proj = nn.Linear(4 * c.n_embd, c.n_embd)    # [4D] -> [D]

    def forward(self, x):
        return self.c_proj(self.act(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c.n_embd, eps=1e-5)
        self.attn = CausalSelfAttention(c)
        self.ln_2 = nn.LayerNorm(c.n_embd, eps=1e-5)
        self.mlp = MLP(c)

    def forward(self, x):                                  # residual stream [B, T, D]
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.config = c
        self.wte = nn.Embedding(c.vocab_size, c.n_embd)    # W_E [V, D]
        self.wpe = nn.Embedding(c.n_positions, c.n_embd)   # [P, D]
        self.h = nn.ModuleList([Block(c) for _ in range(c.n_layer)])
        self.ln_f = nn.LayerNorm(c.n_embd, eps=1e-5)
        self.lm_head = nn.Linear(c.n_embd, c.vocab_size, bias=False)  # W_U^T [V, D]
        if c.tied:
            self.lm_head.weight = self.wte.weight
        self.apply(self._init)
        for n, p in self.named_parameters():
            if n.endswith('c_proj.weight'):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * c.n_layer))

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)

    @staticmethod
    def from_checkpoint(path):
        """A model in eval mode from a train.py / average.py checkpoint (its 'config' and 'model')."""
        ck = torch.load(path)
        m = GPT(Config(**ck['config']))
        m.load_state_dict(ck['model'])
        return m.eval()

    def n_params(self):
        return sum(p.numel() for p in self.parameters())   # shared tensor counted once

    def forward(self, idx, targets=None, return_resid=False):  # idx [B, T] int64
        B, T = idx.shape
        pos = torch.arange(T, device=idx.device)
        x = self.wte(idx) + self.wpe(pos)                  # [B, T, D]
        resid = [x]
        for blk in self.h:
            x = blk(x)
            resid.append(x)
        xf = self.ln_f(x)
        logits = self.lm_head(xf)                          # [B, T, V]
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        if return_resid:
            return logits, loss, resid, xf
        return logits, loss

import GristCore
